"""Nodes the tests compile from their functions (whole module, globals)."""

import ctypes
import enum
from datetime import datetime

import cfuncc
from cfuncc import NumbaDict, Outputs, Signal, State, create_new_dict

RATE = 0.25
WINDOW = int("4")  # computed at import: its value comes from the module


class Side(enum.Enum):
    BUY = 1
    SELL = -1


class Quote(ctypes.Structure):
    _fields_ = [("bid", ctypes.c_double), ("ask", ctypes.c_double), ("size", ctypes.c_int64)]


class Packed(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("flag", ctypes.c_bool), ("px", ctypes.c_float), ("qty", ctypes.c_int32),
                ("side", ctypes.c_uint8), ("lots", ctypes.c_uint16)]


def scaled(x: Signal[int], factor: int) -> Signal[int]:
    return x * factor


def count(x: Signal[int]) -> Signal[int]:
    seen: State[NumbaDict] = create_new_dict(int, int)
    seen[x] = seen.get(x, 0) + 1
    return seen[x]


def windowed(x: Signal[float]) -> Signal[float]:
    s: State[float] = 0.0
    s = s * (1.0 - RATE) + x * RATE * WINDOW
    return s


def signed(qty: Signal[int], side: Side) -> Signal[int]:
    if side == Side.BUY:
        return qty
    return -qty


def mid(q: Signal[Quote]) -> Signal[float]:
    return (q.bid + q.ask) / 2.0


def later(t: Signal[datetime], start: datetime) -> Signal[bool]:
    return t > start


def tally(x: Signal[int]) -> Signal[int]:
    total: State[int] = 0
    seen: State[NumbaDict] = create_new_dict(int, int)
    total += x + seen.get(x, 1) + len(seen)
    return total


def make_scaler(k, offset=0.5):
    """A node factory: the node reads the closure's k and offset."""

    def scaler(x: Signal[float]) -> Signal[float]:
        return x * k + offset + RATE

    return scaler


def make_broken():
    def broken(x: Signal[float]) -> Signal[float]:
        y = x.nope
        return y

    return broken


def split(x: Signal[int]) -> Outputs(even=int, half=float):
    if x % 2 == 0:
        return x, x / 2
    return None, x / 2


@cfuncc.helper
def twice(v):
    return v * 2


def doubled(x: Signal[int]) -> Signal[float]:
    return twice(x) + twice(x * 0.5)


def packed(p: Signal[Packed]) -> Signal[Packed]:
    s: State[Packed] = None
    s.flag = not p.flag
    s.px = p.px * 3.0
    s.qty = p.qty + 1
    s.side = p.side - 1
    s.lots = p.lots * 2
    return s
