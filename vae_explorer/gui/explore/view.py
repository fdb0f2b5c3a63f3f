"""The Explore area: the panels, composed. The latent plane on the left; on the right the decoded point
and, in tabs, reconstruction, the 16x16 samples, interpolation and (a class-conditional model's) style
transfer of the selected reconstruction. Images dropped anywhere on it go to the reconstruction panel; a
.keras file dropped there is handed to the window to open (`model_dropped`).
Composition only: the panels talk through the `LatentPlane`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMimeData, Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from vae_explorer.gui.explore.interpolation import InterpolationPanel
from vae_explorer.gui.explore.plane import PlanePanel
from vae_explorer.gui.explore.point import PointPanel
from vae_explorer.gui.explore.posterior import PosteriorPanel
from vae_explorer.gui.explore.reconstruct import ReconstructPanel
from vae_explorer.gui.explore.samples import SamplesPanel
from vae_explorer.gui.explore.transfer import TransferPanel
from vae_explorer.gui.labels import ElidedLabel
from vae_explorer.gui.numbers import number, percent
from vae_explorer.latent_plane import LatentPlane
from vae_explorer.workers.tasks import TaskRunner


def model_title(vae) -> str:
    """How the app names a model: its file's name, or what it is while it has no file."""
    return vae.name if vae.path else QCoreApplication.translate("ExploreView", "trained in this session (unsaved)")


def _is_model_file(url: QUrl) -> bool:
    return url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() == ".keras"


class ExploreView(QWidget):
    """`set_model(vae)` shows a model in every panel; the panels are public for tests and scripts."""

    status_message = Signal(str)
    model_dropped = Signal(Path)  # a .keras file dropped on the area: the window opens it

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.latent_plane = LatentPlane()
        self.plane = PlanePanel(tasks, self.latent_plane)
        self.point = PointPanel(tasks, self.latent_plane)
        self.reconstruct = ReconstructPanel(tasks, self.latent_plane)
        self.samples = SamplesPanel(tasks, self.latent_plane)
        self.interpolation = InterpolationPanel(tasks, self.latent_plane)
        self.transfer = TransferPanel(tasks, self.latent_plane)
        self.posterior = PosteriorPanel(tasks, self.latent_plane)
        self.panels = (self.plane, self.point, self.reconstruct, self.samples, self.interpolation, self.transfer,
                       self.posterior)
        for panel in self.panels:
            panel.status_message.connect(self.status_message)

        self.title = ElidedLabel(self.tr("Loading the model…"))  # a long file name never widens the window
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.details = QLabel("")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setWordWrap(True)  # a long line of facts wraps instead of widening the window past the screen
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.details, 1)

        self.tabs = QTabWidget()
        # Its hint is the widest page's, hidden rows included, and a longer translation made the window
        # wider than a 1024-pixel screen: the pages share what width there is instead.
        self.tabs.setMinimumWidth(420)
        self.tabs.addTab(self.reconstruct, self.tr("Reconstruct && denoise"))
        self.tabs.addTab(self.samples, self.tr("16×16 samples"))
        self.tabs.addTab(self.interpolation, self.tr("Interpolation"))
        self.tabs.addTab(self.transfer, self.tr("Style transfer"))  # a class-conditional model's only
        self.tabs.addTab(self.posterior, self.tr("Posterior"))
        self.reconstruct.wants_to_be_seen.connect(lambda: self.tabs.setCurrentWidget(self.reconstruct))
        self.reconstruct.selection_changed.connect(self.transfer.show_result)
        self.reconstruct.selection_changed.connect(self.posterior.show_result)
        self.right = right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.point)
        right.addWidget(self.tabs)
        right.setSizes([160, 640])
        right.setStretchFactor(0, 1)  # extra height: a third to the point, two thirds to the tabs' lists
        right.setStretchFactor(1, 2)
        for pane in (0, 1):
            right.setCollapsible(pane, False)
        right.setHandleWidth(6)
        right.handle(1).setToolTip(self.tr("Drag to share the height between the decoded point and the tabs"))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.plane)
        split.addWidget(right)
        split.setSizes([560, 720])  # the tabs need ~570 px (Portuguese) before their rows crowd
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(split, 1)
        self._conditional_layout = False
        self.setAcceptDrops(True)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self, activated=self.reconstruct.paste)
        paste.setWhatsThis(self.tr("Reconstruct the image on the clipboard"))

    def set_model(self, vae) -> None:
        for panel in self.panels:
            panel.set_model(vae)
        self.tabs.setTabVisible(self.tabs.indexOf(self.transfer), vae.conditional)
        if vae.conditional != self._conditional_layout:
            self._conditional_layout = vae.conditional
            # The row of ten classes sits under the decoded point: give that pane the height it takes.
            total = sum(self.right.sizes()) or 800  # not laid out yet: the split's proportions still apply
            point = int(total * (0.3 if vae.conditional else 0.2))
            self.right.setSizes([point, total - point])
        self.latent_plane.reset(vae.latent_dim, vae.conditional)  # every panel shows the new model on this event
        self.show_model_facts(vae)

    def show_model_facts(self, vae) -> None:
        """The title and one line of facts from the model's card."""
        card = vae.card
        self.title.setText(self.tr("Model: {title}").format(title=model_title(vae)))
        facts = [self.tr("latent dimension {latent}").format(latent=vae.latent_dim),
                 f"β = {number(card.beta if card else vae.model.beta, 2)}"]
        test = card.test_metrics if card else None
        if test:
            facts.append(self.tr("test total_loss {total} (ce {ce}, kl {kl}) nats").format(
                total=number(test['total_loss'], 2), ce=number(test['ce_loss'], 2), kl=number(test['kl_loss'], 2)))
        if vae.conditional:
            accuracy = (test or {}).get("classification_accuracy")
            refined = card.refined_classification_accuracy if card else None
            if accuracy and refined:
                facts.append(self.tr("class-conditional, classifies {share} of the test set ({refined} refined)")
                             .format(share=percent(accuracy), refined=percent(refined)))
            elif accuracy:
                facts.append(self.tr("class-conditional, classifies {share} of the test set").format(
                    share=percent(accuracy)))
            else:
                facts.append(self.tr("class-conditional"))
        if card and card.training.status is not None:
            source = (card.training.init_from or {}).get("file")
            if source and vae.path and source == Path(vae.path).name:  # saved over the file it started from
                source = self.tr("an earlier version of this file")
            if source and not card.training.epochs_completed:  # a fine-tune counted in steps (its message says how many)
                text = self.tr("a fine-tune of {source}, {seconds} s of training")
            elif card.training.epochs_completed == 1:
                text = (self.tr("1 epoch fine-tuning {source}, {seconds} s of training") if source else
                        self.tr("1 epoch, {seconds} s of training"))
            else:
                text = (self.tr("{epochs} epochs fine-tuning {source}, {seconds} s of training") if source else
                        self.tr("{epochs} epochs, {seconds} s of training"))
            facts.append(text.format(
                epochs=card.training.epochs_completed, seconds=number(card.training.wall_time_s), source=source))
        if card is None:
            facts.append(self.tr("no model card beside this file"))
        self.details.setText(" · ".join(facts))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # At most half the header: a long model name ends in "…" and the facts beside it keep their room.
        self.title.setMaximumWidth(max(240, self.width() // 2))

    def show_no_model(self) -> None:
        self.title.setText(self.tr("No model loaded"))
        self.details.setText(self.tr("Train one, or open a model with File ▸ Open model…"))

    # --- images dropped anywhere on the area ---------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        models = [Path(url.toLocalFile()) for url in mime.urls() if _is_model_file(url)]
        if models:
            if len(models) > 1:
                self.status_message.emit(self.tr("{count} models dropped: one opens at a time, {name} first").format(
                    count=len(models), name=models[0].name))
            self.model_dropped.emit(models[0])
            images = [url for url in mime.urls() if not _is_model_file(url)]
            if not images:
                event.acceptProposedAction()
                return
            mime = QMimeData()
            mime.setUrls(images)
        if self.reconstruct.handle_mime(mime) or models:
            event.acceptProposedAction()
        else:
            event.ignore()
