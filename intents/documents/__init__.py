"""Document reading: contract photos and PDFs → contract fields, each with a confidence.

`files` checks and rasterizes what arrived, `reader` holds the DocumentReader contract and the
RapidOCR engine, `contract` finds the fields in the OCR lines, `matching` ties them to an account
and its open deal."""
