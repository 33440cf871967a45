"""The MkDocs side of wrangler-docs: settings from mkdocs.yml and what each hook event does."""
