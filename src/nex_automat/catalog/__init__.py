"""The company's catalogue: products, barcodes, groups and partners, and matching invoices to it."""
