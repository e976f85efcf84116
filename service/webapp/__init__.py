"""The browser web app: server-rendered Danish pages over the domain services."""
