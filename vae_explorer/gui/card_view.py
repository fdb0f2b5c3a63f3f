"""File ▸ Model card (Ctrl+I): what the current model's card records, to read — the model, its test-set
figures, how it was trained (every setting, every epoch), its notes and where it came from. The window
showed one line of it; the rest was in a JSON file."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QLocale, QSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from vae_explorer.gui.explore.view import model_title
from vae_explorer.gui.numbers import number, percent
from vae_explorer.gui.train.form import field_text
from vae_explorer.model_card import card_path
from vae_explorer.training_fields import FIELDS

CONDITIONAL_ONLY = {"class_penalty", "class_discrimination", "label_conditioning"}  # noise on a plain model's card
HISTORY_COLUMNS = ("total_loss", "ce_loss", "kl_loss", "val_total_loss", "val_ce_loss", "val_kl_loss")


def _table(rows: list[tuple[str, object]]) -> str:
    """Rows of (label, value) as plain text."""
    label_cell = "<td style='padding-right:16px; color:#555'>{}</td>"
    cells = "".join(f"<tr>{label_cell.format(escape(label))}<td>{escape(str(value))}</td></tr>" for label, value in rows)
    return f"<table cellspacing='0' cellpadding='2'>{cells}</table>"


class ModelCardDialog(QDialog):
    """The card of the model shown by `show_model`, as sections of text that can be selected and copied."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Model card"))
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)

    def sizeHint(self) -> QSize:
        screen = self.screen().availableGeometry().size()
        return QSize(760, 720).boundedTo(screen * 0.9)

    def show_model(self, vae) -> None:
        self.setWindowTitle(self.tr("Model card: {title}").format(title=model_title(vae)))
        self.text.setHtml(self.card_html(vae))

    # --- the sections ------------------------------------------------------------------------------
    def card_html(self, vae) -> str:
        card = vae.card
        where = (self.tr("Model file: {path}").format(path=vae.path) if vae.path
                 else self.tr("Not saved yet: File ▸ Save model as… writes the model and this card."))
        parts = [f"<h2>{escape(model_title(vae))}</h2><p>{escape(where)}"]
        if vae.path and card is not None:
            parts.append("<br>" + escape(self.tr("Card: {path}").format(path=card_path(vae.path))))
        parts.append("</p>")
        if card is None:
            missing = self.tr("There is no model card beside this file: only what the model itself holds is known.")
            parts.append(f"<p>{escape(missing)}</p>")
        parts += [self._model(vae, card), self._test_set(vae, card)]
        if card is not None:
            parts += [self._training(card), self._epochs(card), self._notes(card), self._provenance(card)]
        return "".join(p for p in parts if p)

    def _section(self, title: str, body: str) -> str:
        return f"<h3>{escape(title)}</h3>{body}"

    def _model(self, vae, card) -> str:
        architecture = card.architecture if card else {}
        rows = [(self.tr("Latent dimensions"), number(vae.latent_dim)),
                (self.tr("β (KL weight)"), number(card.beta if card else vae.model.beta, 2)),
                (self.tr("Conditioned on the garment class"), self.tr("yes") if vae.conditional else self.tr("no"))]
        if architecture.get("parameters"):
            rows.append((self.tr("Parameters"), number(architecture["parameters"])))
        for key, label in (("encoder", self.tr("Encoder")), ("decoder", self.tr("Decoder"))):
            if architecture.get(key):
                rows.append((label, architecture[key]))
        return self._section(self.tr("Model"), _table(rows))

    def _test_set(self, vae, card) -> str:
        test = card.test_metrics if card else None
        if not test:
            return ""
        rows = [(name, number(test[name], 2)) for name in ("total_loss", "ce_loss", "kl_loss") if name in test]
        if "label_free_total_loss" in test:
            rows.append((self.tr("label-free total_loss"), number(test["label_free_total_loss"], 2)))
        if test.get("classification_accuracy") is not None:
            rows.append((self.tr("classified correctly"), percent(test["classification_accuracy"])))
        refined = card.refined_classification_accuracy
        if refined is not None:
            rows.append((self.tr("classified correctly, refined"), percent(refined)))
        n_test = (card.dataset or {}).get("n_test")
        title = (self.tr("Test set: {count} images, nats per image").format(count=number(n_test)) if n_test
                 else self.tr("Test set, nats per image"))
        return self._section(title, _table(rows))

    def _training(self, card) -> str:
        run = card.training
        statuses = {"completed": self.tr("completed"), "stopped": self.tr("stopped"), "diverged": self.tr("diverged")}
        rows = []
        if run.status is not None:
            rows.append((self.tr("Run"), statuses.get(run.status, run.status)))
        rows += [(self.tr("Epochs completed"), number(run.epochs_completed)),
                 (self.tr("Training time"), self.tr("{seconds} s").format(seconds=number(run.wall_time_s)))]
        if run.n_train:
            rows.append((self.tr("Training images"), number(run.n_train)))
        if run.precision:
            rows.append((self.tr("Precision used"), run.precision))
        if run.init_from and run.init_from.get("file"):
            rows.append((self.tr("Fine-tuned from"), run.init_from["file"]))
        if run.message:
            rows.append((self.tr("How it ended"), run.message))
        section = self._section(self.tr("Training"), _table(rows))
        if run.config is None:
            return section
        rows = []
        for f in FIELDS:  # every setting of the run, named as the Train form names it (the CLI, the others)
            if f.name in CONDITIONAL_ONLY and not run.config.model.conditional:
                continue
            value = f.get(run.config)
            if value is None and f.optional:
                shown = self.tr("all")
            elif f.kind is bool:
                shown = self.tr("yes") if value else self.tr("no")
            elif f.kind is float:
                shown = QLocale().toString(float(value), "g", 6)  # 0.0002 and 50 as written, not 0.00 or 50.00000
            elif f.kind is int:
                shown = number(value)
            else:
                shown = str(value)
            rows.append((field_text(f.label) if f.label else f.option, shown))
        return section + self._section(self.tr("Settings of the run"), _table(rows))

    def _epochs(self, card) -> str:
        if not card.history:
            return ""
        head = "".join(f"<th align='right' style='padding:2px 6px'>{escape(name)}</th>"
                       for name in (self.tr("epoch"), *HISTORY_COLUMNS, self.tr("s")))
        body = "".join(
            "<tr>" + "".join(f"<td align='right' style='padding:1px 6px'>{escape(cell)}</td>" for cell in (
                number(e.epoch + 1), *(number(getattr(e, name), 2) for name in HISTORY_COLUMNS),
                number(e.wall_time_s))) + "</tr>"
            for e in card.history)
        note = escape(self.tr("Training columns: running means over each epoch; val_: the validation images."))
        return self._section(self.tr("Epochs"), f"<table cellspacing='0'><tr>{head}</tr>{body}</table><p>{note}</p>")

    def _notes(self, card) -> str:
        return self._section(self.tr("Notes"), f"<p>{escape(card.notes)}</p>") if card.notes else ""

    def _provenance(self, card) -> str:
        rows = []
        if card.created:
            rows.append((self.tr("Created"), card.created))
        if card.dataset:
            data = (str(card.dataset[k]) for k in ("name", "checksum") if k in card.dataset)
            rows.append((self.tr("Data"), " · ".join(data)))
        if card.versions:
            rows.append((self.tr("Versions"), " · ".join(f"{k} {v}" for k, v in card.versions.items())))
        if card.model_file_sha256:
            rows.append((self.tr("Model file SHA-256"), card.model_file_sha256))
        return self._section(self.tr("Where it came from"), _table(rows)) if rows else ""
