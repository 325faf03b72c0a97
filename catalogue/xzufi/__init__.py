"""XZuFi 2.2 import (namespace http://xoev.de/schemata/xzufi/2_2_0): parse.py reads a file into
plain records, apply.py writes them in one transaction, source.py fetches a path or URL."""
