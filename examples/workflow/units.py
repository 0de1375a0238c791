"""Constants the rest of the example builds on."""

GRAVITY = 9.81  # m/s^2
