"""``mango classify predict MODEL_DIR DATA.csv --text COL --id COL --out PRED.csv``.

PRED.csv has exactly these columns: the id column (under its own name), one 0/1 column per
label under the label's name, and one probability column per label named
``<label>_probability``, in the model's label order.
"""

from django.core.management.base import BaseCommand, CommandError

from mango.classify.training import key_options
from mango.lib.classify import embed, io, store


def load_model(directory: str):
    """The classifier and its metadata; a clear error when it must not or cannot run here."""
    try:
        classifier, metadata = store.load(directory, **key_options())
    except store.ModelFileError as err:
        raise CommandError(str(err)) from None
    encoder = getattr(classifier.featuriser_, "encoder", None)
    if encoder is not None:  # the embedding backend: is its model here?
        try:
            encoder()
        except embed.EmbeddingUnavailable as err:
            raise CommandError(str(err)) from None
    return classifier, metadata


class Command(BaseCommand):
    help = "Predict the labels of the texts in a CSV file with a saved classifier."

    def add_arguments(self, parser):
        parser.add_argument("model", metavar="MODEL_DIR", help="A directory written by train.")
        parser.add_argument("data", help="CSV file with a header row.")
        parser.add_argument("--text", required=True, metavar="COL", help="The text column.")
        parser.add_argument("--id", required=True, metavar="COL", help="The id column.")
        parser.add_argument("--out", required=True, metavar="PRED.csv", help="Where to write.")

    def handle(self, *args, **options):
        try:
            data = io.read_data(
                options["data"],
                options["text"],
                id_column=options["id"],
                with_labels=False,
                require_id=True,
            )
        except io.DataError as err:
            raise CommandError(str(err)) from None
        classifier, _ = load_model(options["model"])
        try:
            proba = classifier.predict_proba(data.texts)
        except embed.EmbeddingUnavailable as err:  # trained on another embedding model
            raise CommandError(str(err)) from None
        try:
            io.write_predictions(
                options["out"],
                options["id"],
                data.ids,
                classifier.labels_,
                classifier.decide(proba),
                proba,
            )
        except io.DataError as err:
            raise CommandError(str(err)) from None
        except OSError as err:
            raise CommandError(f"Cannot write {options['out']}: {err.strerror}") from None
        self.stdout.write(f"{len(data.texts)} predictions written to {options['out']}.")
