"""Formulas; imports units, so LiveImport tracks units too."""

from units import GRAVITY


def fall_distance(seconds):
    return 0.5 * GRAVITY * seconds**2
