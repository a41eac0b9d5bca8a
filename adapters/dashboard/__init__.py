"""The facilitators' insights dashboard, served by the bot's own web server."""

from adapters.dashboard.routes import dashboard_routes

__all__ = ["dashboard_routes"]
