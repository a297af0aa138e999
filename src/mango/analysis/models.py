"""Pre-aggregated analysis tables, kept up to date with the stories and their final codes.

- ``StoryFact``: one narrow row per story (all stories, analysable or not) with what the
  analysis groups and filters by, its local month as a number and its dimension codes as a
  bitmask. It is the report's input and the "before" of every incremental update.
- ``Tally``: story counts per cell (campaign, organisation, unit, shared, month) and per
  value of one attribute (respondent columns, screening code, dimension code). Month 0 holds
  all months together, so an unfiltered dashboard reads a few thousand rows, not a million.
- ``DimensionBit``: which bit of ``StoryFact.dimensions`` stands for which dimension code.

Missing values are 0 (ids, month) or "" (text), never NULL: the upserts of ``facts`` rely on a
unique key without NULLs. ``mango.analysis.facts`` writes these tables; nothing else should.
"""

from django.db import models


class DimensionBit(models.Model):
    code_id = models.BigIntegerField(unique=True)
    bit = models.PositiveSmallIntegerField(unique=True)

    def __str__(self):
        return f"{self.code_id}:{self.bit}"


class StoryFact(models.Model):
    story_id = models.BigIntegerField(primary_key=True)  # no FK: it outlives a deleted story
    campaign_id = models.BigIntegerField(default=0)
    organisation_id = models.BigIntegerField(default=0)
    unit_id = models.BigIntegerField(default=0)
    shared = models.BooleanField(default=False)  # consent for sharing with staff
    analysable = models.BooleanField(default=False)  # consent for research, not erased
    erased = models.BooleanField(default=False)
    month = models.IntegerField(default=0)  # YYYYMM in the site's time zone
    submitted_at = models.DateTimeField(null=True)
    source = models.CharField(max_length=10, default="")
    teller_role = models.CharField(max_length=20, default="")
    setting = models.CharField(max_length=20, default="")
    oncological = models.CharField(max_length=10, default="")
    respondent_group = models.CharField(max_length=40, default="")
    screening_code = models.BigIntegerField(default=0)  # the deciding screening code; 0: none
    included = models.BooleanField(default=False)  # screening code is the Mangomoment code
    settled = models.BooleanField(default=False)  # dimensions coding decided
    dimensions = models.BigIntegerField(default=0)  # bitmask of DimensionBit

    class Meta:
        indexes = [
            models.Index(fields=["campaign_id", "organisation_id"], name="fact_campaign_org"),
        ]

    def __str__(self):
        return str(self.story_id)


class Tally(models.Model):
    campaign_id = models.BigIntegerField()
    organisation_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    shared = models.BooleanField()
    month = models.IntegerField()  # YYYYMM, 0: all months
    attribute = models.CharField(max_length=20)  # "all", a respondent column, "screening"...
    value = models.CharField(max_length=40)
    code = models.BigIntegerField()  # 0: story counts; else a dimension (or screening) code
    n = models.IntegerField(default=0)  # stories (with the code, where code > 0)
    coded = models.IntegerField(default=0)  # included and dimension-coded stories
    labelled = models.IntegerField(default=0)  # coded with at least one dimension
    multi = models.IntegerField(default=0)  # coded with two or more dimensions

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "attribute",
                    "month",
                    "organisation_id",
                    "unit_id",
                    "campaign_id",
                    "shared",
                    "value",
                    "code",
                ],
                name="one_tally_per_cell",
            )
        ]
        # The dashboard's reads (attribute, month range, then sums by value and code) answered
        # from the index alone: about a quarter faster on a period of a million stories.
        indexes = [
            models.Index(
                fields=[
                    "attribute",
                    "month",
                    "value",
                    "code",
                    "organisation_id",
                    "unit_id",
                    "campaign_id",
                    "shared",
                    "n",
                    "coded",
                    "labelled",
                    "multi",
                ],
                name="tally_dashboard_read",
            )
        ]

    def __str__(self):
        return f"{self.attribute}={self.value}:{self.code}@{self.month}"
