"""The Train form: one widget per field of the settings table (`training_fields`), so the form, the
`TrainingConfig` it makes and the QSettings it is remembered in follow one declaration."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QWidget

from vae_explorer.config import TrainingConfig
from vae_explorer.gui.inputs import spin_box
from vae_explorer.gui.numbers import number
from vae_explorer.hardware import cpu_has_native_bf16
from vae_explorer.ml.data import TRAIN_IMAGES
from vae_explorer.training_fields import FIELDS, Field, config_values, make_config

SUBSET_DEFAULT = 5000  # what "Training images" offers once "All" is unticked


def field_text(text: str) -> str:
    """A label or help text of the settings table in the interface's language (its Qt-free module holds
    the English; scripts/update_translations.py hands them to lupdate)."""
    return QCoreApplication.translate("TrainingFields", text)


def _choice_text(value: str) -> str:
    if value == "auto":
        return QCoreApplication.translate("TrainingForm", "Auto ({precision} here)").format(
            precision="bfloat16" if cpu_has_native_bf16() else "float32")
    return QCoreApplication.translate("TrainingForm", "bfloat16 (mixed)") if value == "bfloat16" else value


class TrainingForm(QGroupBox):
    """`config()` is what the form says; `show_config` fills it in; `widget(name)` is a field's editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Hyper-parameters"), parent)
        defaults = config_values(TrainingConfig())
        self._editors: dict[str, QWidget] = {}
        layout = QFormLayout(self)
        for f in FIELDS:
            if f.in_form and f.kind is bool:  # the box carries its text across the row: the labels keep their width
                layout.addRow(self._make_editor(f, defaults[f.name]))
            elif f.in_form:
                layout.addRow(field_text(f.label), self._make_editor(f, defaults[f.name]))

    def _make_editor(self, f: Field, default):
        tip = field_text(f.help[0].upper() + f.help[1:])
        if f.optional:  # train_limit: "All" or the first N
            # Grouped as the spin box beside it groups its number: 60,000 in English, 60.000 in Portuguese.
            self.all_images = QCheckBox(self.tr("All {count}").format(count=number(TRAIN_IMAGES.shape[0])))
            self.all_images.setChecked(True)
            subset = spin_box(f.low, TRAIN_IMAGES.shape[0], SUBSET_DEFAULT, tip)
            self.all_images.toggled.connect(lambda full: subset.setEnabled(not full and self.isEnabled()))
            subset.setEnabled(False)
            self._editors[f.name] = subset
            row = QHBoxLayout()
            row.addWidget(self.all_images)
            row.addWidget(subset)
            return row
        if f.kind is bool:
            editor = QCheckBox(field_text(f.label))
            editor.setChecked(bool(default))
        elif f.choices:
            editor = QComboBox()
            for value in f.choices:
                editor.addItem(_choice_text(value), value)
            editor.setCurrentIndex(editor.findData(default))
        elif f.kind is float:
            editor = QDoubleSpinBox()
            editor.setRange(f.low, f.high)
            editor.setDecimals(f.decimals)
            editor.setSingleStep(f.step)
            editor.setValue(default)
        else:
            editor = spin_box(f.low, f.high, default, tip)
        editor.setToolTip(tip)
        self._editors[f.name] = editor
        return editor

    def widget(self, name: str) -> QWidget:
        return self._editors[name]

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if "train_limit" in self._editors:  # the subset stays off while "All" is ticked
            self._editors["train_limit"].setEnabled(self.isEnabled() and not self.all_images.isChecked())

    # --- values -----------------------------------------------------------------------------------
    def values(self) -> dict:
        out = {}
        for name, editor in self._editors.items():
            if name == "train_limit":
                out[name] = None if self.all_images.isChecked() else editor.value()
            elif isinstance(editor, QComboBox):
                out[name] = editor.currentData()
            elif isinstance(editor, QCheckBox):
                out[name] = editor.isChecked()
            else:
                out[name] = editor.value()
        return out

    def set_values(self, **values) -> None:
        """Set fields by name, e.g. `set_values(epochs=2, train_limit=320)` (None: all images)."""
        for name, value in values.items():
            editor = self._editors[name]
            if name == "train_limit":
                self.all_images.setChecked(value is None)
                if value is not None:
                    editor.setValue(int(value))
            elif isinstance(editor, QComboBox):
                index = editor.findData(value)
                if index >= 0:
                    editor.setCurrentIndex(index)
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            else:
                editor.setValue(value)

    def config(self, base: TrainingConfig | None = None) -> TrainingConfig:
        return make_config(self.values(), base)

    def show_config(self, config: TrainingConfig) -> None:
        """Fill the form with a run's settings (a continued run's, from its checkpoint)."""
        wanted = config_values(config)
        self.set_values(**{name: wanted[name] for name in self._editors})

    # --- QSettings ----------------------------------------------------------------------------------
    def save_settings(self, settings: QSettings) -> None:
        settings.beginGroup("train")
        for name, value in self.values().items():
            if name == "train_limit":
                settings.setValue("full_set", value is None)
                settings.setValue("subset", self._editors[name].value())
            else:
                settings.setValue(name, value)
        settings.endGroup()

    def restore_settings(self, settings: QSettings) -> None:
        settings.beginGroup("train")
        values = {}
        for name, editor in self._editors.items():
            if name == "train_limit":
                if settings.contains("subset"):
                    editor.setValue(int(settings.value("subset")))
                if settings.contains("full_set"):
                    self.all_images.setChecked(settings.value("full_set") in (True, "true"))
            elif settings.contains(name) and isinstance(editor, QCheckBox):
                values[name] = settings.value(name) in (True, "true")
            elif settings.contains(name):
                kind = str if isinstance(editor, QComboBox) else type(editor.value())
                values[name] = kind(settings.value(name))
        settings.endGroup()
        self.set_values(**values)
