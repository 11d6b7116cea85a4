"""Reading and writing files: rubrics (YAML), responses (CSV/JSON), results."""
