package problem

// importCodes belong to imports (POST /api/v1/imports) and import jobs.
// A whole-request code refuses the upload before anything is written; a
// row code is the error of one row's result.
var importCodes = []Entry{
	{Code: "import_malformed", Status: 400, Title: "Not a CSV file or JSON array", Topic: TopicImports,
		When:       "The body of an import does not parse: a text/csv body breaks CSV syntax (an unclosed quote) or has a header that is not UTF-8 text or holds NUL, or an application/json body is not one JSON array. The detail names the line or byte.",
		Resolution: "Send a CSV file with a header row (UTF-8, with or without BOM, quoted fields allowed) as text/csv, or a JSON array of objects as application/json."},
	{Code: "import_header_invalid", Status: 422, Title: "CSV header not accepted", Topic: TopicImports,
		When:       "The header row of a CSV import names a column the resource does not have (custom fields are custom.<key> of a defined field), names a column twice, or has an empty column name. The errors member lists each column (unknown_column, duplicate_column, empty_column).",
		Resolution: "Rename or remove the columns listed in errors; the columns of each resource are listed in docs/imports.md."},
	{Code: "import_empty", Status: 422, Title: "Nothing to import", Topic: TopicImports,
		When:       "An import holds no rows: a CSV file with only a header, or an empty JSON array.",
		Resolution: "Send at least one row."},
	{Code: "import_too_many_rows", Status: 422, Title: "Too many rows", Topic: TopicImports,
		When:       "An import holds more than 500,000 rows.",
		Resolution: "Split the file into several imports of at most 500,000 rows each."},
	{Code: "duplicate_external_id", Status: 422, Title: "External id repeated in the import", Topic: TopicImports,
		When:       "A row of an import has the external_id of an earlier row of the same import; the later row fails, the earlier one is imported.",
		Resolution: "Merge the two rows into one, or give each record its own external id."},
	{Code: "import_conflict", Status: 409, Title: "Row overtaken by a concurrent change", Topic: TopicImports,
		When:       "A concurrent request changed the record a row writes (took its external id, or removed what it links to) between the row's checks and its write; the row wrote nothing.",
		Resolution: "Import the row again."},
}
