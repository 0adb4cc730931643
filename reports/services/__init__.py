"""Writes that the admin, the API and commands share: plain functions over the models."""
