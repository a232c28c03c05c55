"""Camera and microphone sources and the exports (MP4, GIF, PDF, PNG) of creations.

Tools reach these through `kiosk.api` (`ctx.open_camera()`, `ctx.open_microphone()`);
the librarian panel uses `ExportJob`. Nothing here starts at import time.
"""

from kiosk.media.camera import CameraSearch, CameraSource, SyntheticCamera, open_camera
from kiosk.media.export import FORMATS, ExportError, ExportJob, export_creation, export_filename
from kiosk.media.ffmpeg import MediaInfo, probe
from kiosk.media.microphone import Microphone, open_microphone

__all__ = [
    "FORMATS",
    "CameraSearch",
    "CameraSource",
    "ExportError",
    "ExportJob",
    "MediaInfo",
    "Microphone",
    "SyntheticCamera",
    "export_creation",
    "export_filename",
    "open_camera",
    "open_microphone",
    "probe",
]
