"""The project office's service (DESIGN §4, §5): sync API, storage, dashboard, exports."""
