"""Agent posters: declarative templates, rendering, caching and scan attribution."""
