"""Building blocks shared by the application and the verdict models."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """Base for every contract model: unknown fields are an error, text is trimmed."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
        use_enum_values=False,
    )


class LocalizedText(StrictModel):
    """A text in Swedish (for the committee and applicants) and English."""

    sv: str = Field(min_length=1, description="Swedish text")
    en: str = Field(min_length=1, description="English text")


class Category(StrEnum):
    """The three project categories (*projektkategorier*) of the framework."""

    housing = "housing"
    """Boende och boendemiljöer."""
    safety_accessibility = "safety_accessibility"
    """Trygghet, säkerhet och tillgänglighet."""
    health_education_sport_culture = "health_education_sport_culture"
    """Hälsa, utbildning, idrott och kultur."""
