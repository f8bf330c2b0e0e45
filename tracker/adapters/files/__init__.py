"""Files the product writes: the finance export (XLSX, CSV) and charts."""
