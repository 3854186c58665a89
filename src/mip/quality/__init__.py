"""Quality and compliance: SPC, inspection, NCR/CAPA, genealogy, audit."""
