"""Import of council sessions from OParl 1.1 (client, importer, summary)."""
