"""Writes a DHIS2 data value set as ADX (IHE QRPH Aggregate Data Exchange), the second
format DHIS2 imports (contract §11): one ``group`` per unit and period, naming the data
set it belongs to, with one ``dataValue`` per indicator."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

from .. import contract as c
from ..engine.dhis2 import DataValueSet, adx_period
from .save import atomic_write_text

ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"


def write_adx(values: DataValueSet, data_set: str, exported: str,
              path: str | os.PathLike[str]) -> Path:
    root = ET.Element("adx", {"xmlns": ADX_NAMESPACE, "exported": exported})
    groups: dict[tuple[str, str], ET.Element] = {}
    for value in values.values:
        key = (value.orgunit, value.period)
        if key not in groups:
            attributes = {"orgUnit": value.orgunit, "dataSet": data_set,
                          c.KEY_PERIOD: adx_period(value.period)}  # ADX's name is _meta's
            groups[key] = ET.SubElement(root, "group", attributes)
        ET.SubElement(groups[key], "dataValue", {"dataElement": value.dataelement,
                                                 "value": str(value.value)})
    ET.indent(root)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return atomic_write_text(path, text)
