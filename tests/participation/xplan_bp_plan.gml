<?xml version="1.0" encoding="UTF-8"?>
<xplan:XPlanAuszug xmlns:xplan="http://www.xplanung.de/xplangml/5/4" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xlink="http://www.w3.org/1999/xlink" gml:id="GML_1">
  <gml:boundedBy><gml:Envelope srsName="EPSG:25832"><gml:lowerCorner>593000 5900000</gml:lowerCorner><gml:upperCorner>593300 5900200</gml:upperCorner></gml:Envelope></gml:boundedBy>
  <gml:featureMember>
    <xplan:BP_Plan gml:id="GML_PLAN">
      <xplan:name>Am Mühlenbach</xplan:name>
      <xplan:nummer>12</xplan:nummer>
      <xplan:raeumlicherGeltungsbereich>
        <gml:MultiSurface srsName="EPSG:25832" gml:id="GML_MS1">
          <gml:surfaceMember><gml:Polygon gml:id="GML_P1"><gml:exterior><gml:LinearRing>
            <gml:posList srsDimension="2">593000 5900000 593300 5900000 593300 5900200 593000 5900200 593000 5900000</gml:posList>
          </gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
        </gml:MultiSurface>
      </xplan:raeumlicherGeltungsbereich>
      <xplan:planArt>1000</xplan:planArt>
    </xplan:BP_Plan>
  </gml:featureMember>
  <gml:featureMember>
    <xplan:BP_BaugebietsTeilFlaeche gml:id="GML_TF1">
      <xplan:position>
        <gml:Polygon srsName="EPSG:25832" gml:id="GML_P2"><gml:exterior><gml:LinearRing>
          <gml:posList srsDimension="2">593010 5900010 593100 5900010 593100 5900100 593010 5900100 593010 5900010</gml:posList>
        </gml:LinearRing></gml:exterior></gml:Polygon>
      </xplan:position>
    </xplan:BP_BaugebietsTeilFlaeche>
  </gml:featureMember>
</xplan:XPlanAuszug>
