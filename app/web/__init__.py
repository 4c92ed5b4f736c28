"""Web pages shoppers open inside WeChat (official-account pages): OAuth login and the web session."""
