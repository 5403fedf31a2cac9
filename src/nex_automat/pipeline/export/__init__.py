"""Handing approved invoices to the ERP: the job, its connectors (folder drop, webhook)."""
