"""The workspace's strings per area: Slovak (``SK``), Czech (``CS``) and English (``EN``).

Every area's three catalogues have the same keys and the same placeholders.
"""
