"""The creative tools: the drawing board, the stop-motion studio and the story maker.

They are activities like the games and import only `kiosk.api`; their projects are saved
as creations (`kiosk.creations`, offered to a visit as `ctx.creations`: make new ones,
list and open this session's own)."""
