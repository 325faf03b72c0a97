# ruff: noqa: E501 - the sample export is easier to read one element per line
"""A small XZuFi 2.2 export for the import tests, in the shape public exports (PVOG, state
editorial systems) use: two Leistungen, an Onlinedienst, three Organisationseinheiten (one
for the test Kreis, one for the verbandsfreie Stadt, one without an official key) and their
Zuständigkeiten. Areas and units match tests/catalogue/conftest.py's region."""

from __future__ import annotations

NS = "http://xoev.de/schemata/xzufi/2_2_0"

GEWERBE = """
    <xzufi:leistung>
      <xzufi:id schemeAgencyID="L100012">8957937</xzufi:id>
      <xzufi:referenzLeiKa listURI="urn:de:fim:leika:leistung"><code>99050012104000</code></xzufi:referenzLeiKa>
      <xzufi:modulText>
        <xzufi:inhalt languageCode="en">Register a business</xzufi:inhalt>
        <xzufi:inhalt languageCode="de">Gewerbe anmelden</xzufi:inhalt>
        <xzufi:leikaTextmodul><code>02</code></xzufi:leikaTextmodul>
      </xzufi:modulText>
      <xzufi:modulText>
        <xzufi:inhalt languageCode="de">Wer ein Gewerbe beginnt, zeigt es beim Gewerbeamt an.</xzufi:inhalt>
        <xzufi:leikaTextmodul><code>05</code></xzufi:leikaTextmodul>
      </xzufi:modulText>
      <xzufi:modulText>
        <xzufi:inhalt languageCode="de">&lt;p&gt;{volltext}&lt;/p&gt;&lt;p&gt;Die Anzeige ist Pflicht.&lt;/p&gt;</xzufi:inhalt>
        <xzufi:leikaTextmodul><code>06</code></xzufi:leikaTextmodul>
        <xzufi:weiterfuehrenderLink>
          <xzufi:uri>https://www.gesetze-im-internet.de/gewo/__14.html</xzufi:uri>
          <xzufi:titel>§ 14 GewO</xzufi:titel>
        </xzufi:weiterfuehrenderLink>
      </xzufi:modulText>
      <xzufi:modulText>
        <xzufi:inhalt languageCode="de">§ 14 Gewerbeordnung (GewO)</xzufi:inhalt>
        <xzufi:leikaTextmodul><code>07</code></xzufi:leikaTextmodul>
      </xzufi:modulText>
      <xzufi:modulText>
        <xzufi:inhalt languageCode="de">&lt;ul&gt;&lt;li&gt;Personalausweis&lt;/li&gt;&lt;li&gt;Handelsregisterauszug&lt;/li&gt;&lt;/ul&gt;</xzufi:inhalt>
        <xzufi:leikaTextmodul><code>08</code></xzufi:leikaTextmodul>
      </xzufi:modulText>
      <xzufi:modulText>
        <xzufi:inhalt languageCode="de">Sie sind volljährig.</xzufi:inhalt>
        <xzufi:leikaTextmodul><code>09</code></xzufi:leikaTextmodul>
      </xzufi:modulText>
      <xzufi:modulKosten><xzufi:beschreibung languageCode="de">26 Euro</xzufi:beschreibung></xzufi:modulKosten>
      <xzufi:modulFrist><xzufi:beschreibung languageCode="de">Bei Beginn des Gewerbes</xzufi:beschreibung></xzufi:modulFrist>
      <xzufi:modulBearbeitungsdauer><xzufi:beschreibung languageCode="de">sofort</xzufi:beschreibung></xzufi:modulBearbeitungsdauer>
      <xzufi:modulBegriffImKontext>
        <xzufi:begriffImKontext><xzufi:begriff languageCode="de">Firma</xzufi:begriff></xzufi:begriffImKontext>
        <xzufi:begriffImKontext><xzufi:begriff languageCode="de">Selbstständigkeit</xzufi:begriff></xzufi:begriffImKontext>
      </xzufi:modulBegriffImKontext>
      <xzufi:modulUrsprungsportal><xzufi:uri>https://redaktion.example.org/8957937</xzufi:uri></xzufi:modulUrsprungsportal>
    </xzufi:leistung>"""

HUND = """
    <xzufi:leistung>
      <xzufi:id>hund-1</xzufi:id>
      <xzufi:referenzLeiKa><code>99102013104000</code></xzufi:referenzLeiKa>
      <xzufi:modulText>
        <xzufi:inhalt languageCode="de">Hundesteuer Anmeldung</xzufi:inhalt>
        <xzufi:leikaTextmodul><code>02</code></xzufi:leikaTextmodul>
      </xzufi:modulText>
    </xzufi:leistung>"""

ONLINE = """
    <xzufi:onlinedienst>
      <xzufi:id>od-1</xzufi:id>
      <xzufi:bezeichnung><xzufi:inhalt languageCode="de">Gewerbe online anmelden</xzufi:inhalt></xzufi:bezeichnung>
      <xzufi:link><xzufi:link>https://gewerbe.example.org/antrag</xzufi:link></xzufi:link>
      <xzufi:leistungID>8957937</xzufi:leistungID>
    </xzufi:onlinedienst>"""

UNITS = """
    <xzufi:organisationseinheit>
      <xzufi:id>oe-kreis</xzufi:id>
      <xzufi:name><xzufi:name languageCode="de">Landkreis Test, Gewerbeamt</xzufi:name></xzufi:name>
      <xzufi:anschrift>
        <xzufi:zusatz>Kreishaus</xzufi:zusatz>
        <xzufi:strasse>Am Markt</xzufi:strasse>
        <xzufi:hausnummer>1</xzufi:hausnummer>
        <xzufi:postleitzahl>99001</xzufi:postleitzahl>
        <xzufi:ort>Kreisstadt</xzufi:ort>
        <xzufi:verwaltungspolitischeKodierung>
          <xzufi:regionalschluessel><code>990010000000</code></xzufi:regionalschluessel>
        </xzufi:verwaltungspolitischeKodierung>
      </xzufi:anschrift>
      <xzufi:kommunikation><xzufi:kennung>gewerbe@kreis-test.example.org</xzufi:kennung></xzufi:kommunikation>
      <xzufi:kommunikation><xzufi:kennung>04199 777-0</xzufi:kennung></xzufi:kommunikation>
      <xzufi:internetadresse><xzufi:uri>https://kreis-test.example.org/</xzufi:uri></xzufi:internetadresse>
      <xzufi:oeffnungszeiten>
        <xzufi:zusatz>Mo–Fr 8:00–12:00 Uhr</xzufi:zusatz>
        <xzufi:zusatz>Do 14:00–18:00 Uhr</xzufi:zusatz>
      </xzufi:oeffnungszeiten>
      <xzufi:kategorie><code>Verwaltung</code></xzufi:kategorie>
      <xzufi:zustaendigkeit>
        <xzufi:leistungID>8957937</xzufi:leistungID>
        <xzufi:gebietID>990010000000</xzufi:gebietID>
      </xzufi:zustaendigkeit>
    </xzufi:organisationseinheit>
    <xzufi:organisationseinheit>
      <xzufi:id>oe-stadt</xzufi:id>
      <xzufi:name><xzufi:name languageCode="de">Stadt Frei, Steueramt</xzufi:name></xzufi:name>
      <xzufi:anschrift>
        <xzufi:verwaltungspolitischeKodierung>
          <xzufi:gemeindeschluessel><code>99001001</code></xzufi:gemeindeschluessel>
        </xzufi:verwaltungspolitischeKodierung>
      </xzufi:anschrift>
      <xzufi:zustaendigkeit>
        <xzufi:leistungID>hund-1</xzufi:leistungID>
        <xzufi:gebietID>990010000001</xzufi:gebietID>
      </xzufi:zustaendigkeit>
    </xzufi:organisationseinheit>
    <xzufi:organisationseinheit>
      <xzufi:id>oe-buergerbuero</xzufi:id>
      <xzufi:name><xzufi:name languageCode="de">Bürgerbüro Auedorf</xzufi:name></xzufi:name>
      <xzufi:kommunikation><xzufi:kennung>04199 555-1</xzufi:kennung></xzufi:kommunikation>
    </xzufi:organisationseinheit>
    <xzufi:zustaendigkeitTransferObjekt>
      <xzufi:uebergeordnetesObjektID>oe-buergerbuero</xzufi:uebergeordnetesObjektID>
      <xzufi:zustaendigkeit>
        <xzufi:leistungID>hund-1</xzufi:leistungID>
        <xzufi:gebietID>99001002</xzufi:gebietID>
        <xzufi:rolle><code>01</code></xzufi:rolle>
      </xzufi:zustaendigkeit>
    </xzufi:zustaendigkeitTransferObjekt>"""


def document(*objects: str, volltext: str = "Die Gewerbeanzeige nach § 14 GewO.") -> bytes:
    body = "".join(objects) if objects else GEWERBE + HUND + ONLINE + UNITS
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xzufi:transfer.schreibe.0101 xmlns:xzufi="{NS}" xzufiVersion="2.2.0">\n'
        f"  <xzufi:nachrichtenkopf><xzufi:nachrichtUUID>1</xzufi:nachrichtUUID></xzufi:nachrichtenkopf>\n"
        f"  <xzufi:schreibe>{body.replace('{volltext}', volltext)}\n  </xzufi:schreibe>\n"
        f"</xzufi:transfer.schreibe.0101>\n"
    ).encode()
