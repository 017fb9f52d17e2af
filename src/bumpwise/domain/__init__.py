"""The pure domain: values in, values out. Imports nothing from web, persistence or the CLI."""
