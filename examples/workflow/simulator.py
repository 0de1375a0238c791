"""What the notebook calls."""

from physics import fall_distance


class Stone:
    def __init__(self, seconds):
        self.seconds = seconds

    def describe(self):
        return f"after {self.seconds} s the stone has fallen {fall_distance(self.seconds):.1f} m"
