"""Type stubs of the extension module (src/lib.rs); use the package
`territory`, which wraps it."""

from typing import Optional, Sequence

import numpy as np
import numpy.typing as npt

__version__: str

class TerritoryError(ValueError):
    """An input territory cannot use; the message is the CLI's."""

def area_wkb(wkbs: Sequence[Optional[bytes]], *, check: bool = False) -> npt.NDArray[np.float64]: ...

class Regions:
    def __init__(
        self,
        layer: str,
        *,
        id_field: Optional[str] = None,
        name_field: Optional[str] = None,
        distance: bool = False,
        repair: bool = False,
    ) -> None: ...
    @property
    def ids(self) -> list[str]: ...
    @property
    def names(self) -> list[str]: ...
    @property
    def layer(self) -> str: ...
    def __len__(self) -> int: ...
    def index(
        self, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], *, on_error: str = "raise"
    ) -> npt.NDArray[np.int64]: ...
    def distance(
        self, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], *, on_error: str = "raise"
    ) -> npt.NDArray[np.float64]: ...

def overlay_by(
    layer: str,
    regions: str,
    *,
    id_field: Optional[str] = None,
    name_field: Optional[str] = None,
    repair: bool = False,
) -> dict: ...
def check(
    layer: str,
    claim: str,
    *,
    tolerance: Optional[str] = None,
    within: Sequence[str] = (),
    repair: bool = False,
) -> list[dict]: ...
def depth(layer: str, border: str, *, repair: bool = False) -> dict: ...
