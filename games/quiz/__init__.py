"""Picture quiz: questions from the content packs, answered with big picture buttons."""

from games.quiz.game import PictureQuiz

__all__ = ["PictureQuiz"]
