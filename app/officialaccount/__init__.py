"""The official account (公众号): fans, auto-replies and menus."""
