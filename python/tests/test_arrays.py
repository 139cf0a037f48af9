"""Fixed-size arrays from Python: a node using a module constant for its
length and a tuple default for a constant array, its array state listed
as the seed lists it, run by instance(), replay() and a seed-style ctypes
host (which allocates the struct_state buffers), all against the same
node run as plain Python."""

import numpy as np

import cfuncc
from cfuncc import NumbaArray, Signal, State, create_new_array
from conftest import CtypesHost

N = 4


def window(x: Signal[float], weights: NumbaArray[float, 4] = (0.1, 0.2, 0.3, 0.4)) -> Signal[float]:
    w: State[NumbaArray] = create_new_array(float, N)
    pos: State[int] = 0
    w[pos] = x
    pos = (pos + 1) % len(w)
    out = 0.0
    for i in range(len(w)):
        out += w[(pos + i) % N] * weights[i]
    return out


def python_window(xs):
    """The same node as plain Python: the array is a list of N floats."""
    w, pos, out = create_new_array(float, N), 0, []
    for x in xs:
        w[pos] = x
        pos = (pos + 1) % len(w)
        out.append(sum(w[(pos + i) % N] * (0.1, 0.2, 0.3, 0.4)[i] for i in range(N)))
    return out


XS = [1.0, 2.0, -3.5, 4.0, 5.0, 0.25, 7.0]


def test_array_state_is_listed_as_the_seed_lists_it():
    node = cfuncc.compile(window, cache=False)
    assert node.struct_state_indices == [0]
    assert node.struct_state_sizes == [32]
    assert node.state_values == [0.0, 0, 0]
    slot = node.manifest["state"][0]
    assert (slot["kind"], slot["element_type"], slot["length"], slot["size"]) == ("array", "float", 4, 32)


def test_instance_replay_and_a_seed_host_agree_with_python():
    want = python_window(XS)
    node = cfuncc.compile(window, cache=False)
    inst = node.instance()
    inst.start()
    assert np.allclose([inst.execute(x) for x in XS], want)
    assert np.allclose(node.replay([np.array(XS)]).outputs[0], want)
    host = CtypesHost(node)
    host.start()
    assert np.allclose([host.execute([x])[0] for x in XS], want)
    host.stop()
