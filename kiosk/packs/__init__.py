"""Content packs: `content/<pack>/pack.yaml` with pictures, words, questions, pairs."""

from kiosk.packs.check import PACK_FILE, Problem, check_packs, pack_folders, read_pack
from kiosk.packs.models import Answer, Bin, Pack, Picture, Question, Sorting, SortItem, Word

__all__ = [
    "PACK_FILE",
    "Answer",
    "Bin",
    "Pack",
    "Picture",
    "Problem",
    "Question",
    "SortItem",
    "Sorting",
    "Word",
    "check_packs",
    "pack_folders",
    "read_pack",
]
