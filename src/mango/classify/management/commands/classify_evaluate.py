"""``mango classify evaluate MODEL_DIR DATA.csv --text COL``: metrics of a saved classifier.

DATA.csv needs the text column and a 0/1 column for each of the model's labels. Prints JSON:
macro and micro F1, and precision, recall, F1 and support per label.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from mango.lib.classify import evaluate, io

from .classify_predict import load_model


class Command(BaseCommand):
    help = "Print the metrics of a saved classifier on labelled texts, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("model", metavar="MODEL_DIR", help="A directory written by train.")
        parser.add_argument("data", help="CSV file with the text and the model's label columns.")
        parser.add_argument("--text", required=True, metavar="COL", help="The text column.")

    def handle(self, *args, **options):
        classifier, metadata = load_model(options["model"])
        try:
            data = io.read_data(options["data"], options["text"], classifier.labels_)
        except io.DataError as err:
            raise CommandError(str(err)) from None
        try:
            predicted = classifier.predict(data.texts)
        except ValueError as err:  # the embedding model differs from the one trained on
            raise CommandError(str(err)) from None
        result = evaluate.metrics(data.Y, predicted, data.labels)
        result["model"] = {
            "codebook_version": metadata.get("codebook_version"),
            "training_data_sha256": metadata.get("training_data_sha256"),
            "created_at": metadata.get("created_at"),
        }
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
