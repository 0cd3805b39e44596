"""Who is worth meeting: one scoring, for everyone at once or for one person.

The signals are sparse matrices over people (rows) and things (columns):

- follows      A (people x people): the two-hop count (A·A)[i, j] is how many people i
               follows follow j ("followed by 5 people you follow");
- answers      people x (session, question): both answered the same question in a chat room;
- sessions     people x sessions: both posted in the same chat session;
- interactions people x people, symmetric: replies, favourites, boosts and mentions;
- tags         people x hashtags: interests and followed hashtags;
- city         one city per person.

Candidates come from the two-hop counts, the chat matrices, the interactions and, so that a
newcomer with no graph still gets someone, the best-followed holders of each of their
hashtags and the best-followed people of their city. Everyone a person follows, blocked either
way, muted, dismissed or asked to follow gets a large negative score within the same sparse
product (see `_Right`), so one partial sort per two-hop row both ranks and excludes. The best POOL candidates of each
row then get their exact signal counts (which also name the reasons), and the best KEEP stay.

`compute(community, rows)` works on any `Community`: the whole instance (the nightly refresh
and the benchmark) or the neighbourhood of one person (the incremental refresh, see
`confab.connections.people.refresh`), which brings its two-hop row ready-made.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

KEEP = 20  # recommendations stored per person
POOL = 2 * KEEP  # candidates per person scored exactly before the final cut
TOP_PER_TAG = 50  # best-followed holders of a hashtag offered to everyone who holds it
TOP_PER_CITY = 50
CHUNK = 2000  # rows per sparse product: bounds memory (a two-hop row has ~10^4 entries)

W_FOLLOWS = 1.0  # the two-hop counts enter the sum unscaled: no extra pass over them
W_ANSWER = 3.0
W_SESSION = 1.0
W_INTERACTION = 2.0
W_TAG = 1.5
W_CITY = 2.0
EXCLUDED = -1e9


def _csr(rows, cols, shape, values=None) -> sp.csr_matrix:
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    data = (
        np.ones(len(rows), dtype=np.float32)
        if values is None
        else np.asarray(values, dtype=np.float32)
    )
    matrix = sp.csr_matrix((data, (rows, cols)), shape=shape, dtype=np.float32)
    matrix.sum_duplicates()
    return matrix


def binary(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix = matrix.tocsr()
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def top_holders(holders: sp.csr_matrix, popularity: np.ndarray, per_column: int) -> sp.csr_matrix:
    """Keep, in each column of a people x things matrix, the `per_column` most followed."""
    coo = holders.tocoo()
    order = np.lexsort((-popularity[coo.row], coo.col))
    cols = coo.col[order]
    starts = np.searchsorted(cols, cols, side="left")
    keep = order[(np.arange(len(order)) - starts) < per_column]
    return _csr(coo.row[keep], coo.col[keep], holders.shape)


@dataclass
class Community:
    """Everything the scoring reads, as sparse matrices indexed by person (row) number."""

    follows: sp.csr_matrix
    answers: sp.csr_matrix
    sessions: sp.csr_matrix
    interactions: sp.csr_matrix
    tags: sp.csr_matrix
    city: np.ndarray  # city number per person, -1 for none
    excluded: sp.csr_matrix
    popularity: np.ndarray  # followers per person: who is offered to a hashtag's holders
    # A ready two-hop count for the rows computed (the one-person refresh), else A·A.
    two_hop: sp.csr_matrix | None = None
    tag_top: sp.csr_matrix = field(init=False)
    city_hot: sp.csr_matrix = field(init=False)
    city_top: sp.csr_matrix = field(init=False)

    def __post_init__(self) -> None:
        n = self.follows.shape[0]
        self.tag_top = top_holders(self.tags, self.popularity, TOP_PER_TAG)
        has_city = np.flatnonzero(self.city >= 0)
        cities = int(self.city.max()) + 1 if len(has_city) else 1
        self.city_hot = _csr(has_city, self.city[has_city], (n, cities))
        self.city_top = top_holders(self.city_hot, self.popularity, TOP_PER_CITY)

    @property
    def size(self) -> int:
        return self.follows.shape[0]


@dataclass
class Recommendations:
    """Parallel arrays, one entry per (person, candidate), best first within a person."""

    person: np.ndarray
    candidate: np.ndarray
    score: np.ndarray
    mutual_follows: np.ndarray
    shared_answers: np.ndarray
    shared_sessions: np.ndarray
    interactions: np.ndarray
    shared_tags: np.ndarray
    same_city: np.ndarray
    answer: np.ndarray  # column of one shared answer, -1 for none
    session: np.ndarray  # column of one shared session, -1 for none
    tag_a: np.ndarray  # columns of two shared hashtags, -1 for none
    tag_b: np.ndarray

    def __len__(self) -> int:
        return len(self.person)

    def rows(self) -> Iterator[dict]:
        names = self.__dataclass_fields__
        columns = {name: getattr(self, name).tolist() for name in names}
        for i in range(len(self)):
            yield {name: columns[name][i] for name in names}


class _Right:
    """The right-hand side of the one sparse product that scores a chunk of people.

    With L = [A_rows | answers | sessions | interactions | tags | city | A_rows | excluded]
    and R stacking A, the weighted transposes and identities, L·R is the two-hop count plus
    every other signal plus a large negative for whom to leave out: one product, one pass
    over its large result. When the two-hop rows come ready-made (one person's refresh),
    the first block of L holds them and the first block of R is the identity.
    """

    def __init__(self, c: Community) -> None:
        identity = sp.identity(c.size, dtype=np.float32, format="csr")
        self.matrix = sp.vstack(
            [
                identity if c.two_hop is not None else c.follows,
                W_ANSWER * c.answers.T,
                W_SESSION * c.sessions.T,
                W_INTERACTION * identity,
                W_TAG * c.tag_top.T,
                W_CITY * c.city_top.T,
                EXCLUDED * identity,
                EXCLUDED * identity,
            ],
            format="csr",
        )

    def left(self, c: Community, start: int, end: int) -> sp.csr_matrix:
        n = end - start
        follows = c.follows[start:end]
        return sp.hstack(
            [
                c.two_hop[start:end] if c.two_hop is not None else follows,
                c.answers[start:end],
                c.sessions[start:end],
                c.interactions[start:end],
                c.tags[start:end],
                c.city_hot[start:end],
                follows,
                c.excluded[start:end] + _csr(np.arange(n), np.arange(start, end), (n, c.size)),
            ],
            format="csr",
        )


def _pool(scores: sp.csr_matrix, first_row: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The POOL best positive entries of each row, as (row, column, score) arrays.

    One partial sort per row on its contiguous slice; nothing touches the whole matrix
    again (each extra pass over it costs as much as a tenth of the product).
    """
    indptr, indices, data = scores.indptr, scores.indices, scores.data
    picked = []
    counts = np.zeros(len(indptr) - 1, dtype=np.int64)
    for r, (start, end) in enumerate(zip(indptr[:-1].tolist(), indptr[1:].tolist(), strict=True)):
        length = end - start
        if length <= POOL:
            best = np.arange(start, end)
        else:
            best = np.argpartition(data[start:end], length - POOL)[length - POOL :] + start
        picked.append(best)
        counts[r] = len(best)
    if not picked:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    positions = np.concatenate(picked)
    rows = np.repeat(np.arange(len(counts)), counts)
    positive = data[positions] > 0
    positions, rows = positions[positive], rows[positive]
    return rows + first_row, indices[positions], data[positions]


def _pair_overlap(
    left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each pair: how many columns rows[k] and cols[k] share, and the first two."""
    both = left[rows].multiply(right[cols]).tocsr()
    both.eliminate_zeros()
    both.sort_indices()
    counts = np.diff(both.indptr)
    # One spare entry so that rows with nothing shared index something (then masked).
    indices = np.append(both.indices, -1)
    first = np.where(counts > 0, indices[both.indptr[:-1]], -1)
    second = np.where(counts > 1, indices[np.minimum(both.indptr[:-1] + 1, both.nnz)], -1)
    return counts, first, second


def _lookup(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float32)
    return np.asarray(matrix[rows, cols]).ravel()


def _score_chunk(c: Community, right: _Right, start: int, end: int) -> Recommendations:
    combined = right.left(c, start, end) @ right.matrix
    rows, cols, generated = _pool(combined, start)

    answers, answer, _ = _pair_overlap(c.answers, c.answers, rows, cols)
    sessions, session, _ = _pair_overlap(c.sessions, c.sessions, rows, cols)
    tags, tag_a, tag_b = _pair_overlap(c.tags, c.tags, rows, cols)
    tag_top, _, _ = _pair_overlap(c.tags, c.tag_top, rows, cols)
    interactions = _lookup(c.interactions, rows, cols)
    same_city = (c.city[rows] >= 0) & (c.city[rows] == c.city[cols])
    city_top = same_city & (np.diff(c.city_top.indptr)[cols] > 0)
    # What the generating sum held besides the follows is known exactly: the rest is A·A.
    graph = (
        W_ANSWER * answers
        + W_SESSION * sessions
        + W_INTERACTION * interactions
        + W_TAG * tag_top
        + W_CITY * city_top
    )
    mutual = np.rint(generated - graph).clip(0)
    score = (
        W_FOLLOWS * mutual
        + W_ANSWER * answers
        + W_SESSION * sessions
        + W_INTERACTION * interactions
        + W_TAG * tags
        + W_CITY * same_city
    ).astype(np.float32)

    order = np.lexsort((cols, -score, rows))
    ordered_rows = rows[order]
    rank = np.arange(len(order)) - np.searchsorted(ordered_rows, ordered_rows, side="left")
    keep = order[rank < KEEP]
    return Recommendations(
        person=rows[keep],
        candidate=cols[keep],
        score=score[keep],
        mutual_follows=mutual[keep].astype(np.int64),
        shared_answers=answers[keep],
        shared_sessions=sessions[keep],
        interactions=interactions[keep].astype(np.int64),
        shared_tags=tags[keep],
        same_city=same_city[keep],
        answer=answer[keep],
        session=session[keep],
        tag_a=tag_a[keep],
        tag_b=tag_b[keep],
    )


def compute(
    c: Community, rows: range | None = None, chunk: int = CHUNK
) -> Iterator[Recommendations]:
    """Yield the recommendations of `rows` (everyone by default), a chunk of people at a time."""
    rows = rows if rows is not None else range(c.size)
    right = _Right(c)
    for start in range(rows.start, rows.stop, chunk):
        yield _score_chunk(c, right, start, min(start + chunk, rows.stop))


def two_hop_floor(follows: sp.csr_matrix, chunk: int = CHUNK) -> int:
    """The bare two-hop computation the benchmark compares against; returns the entries."""
    entries = 0
    for start in range(0, follows.shape[0], chunk):
        entries += (follows[start : start + chunk] @ follows).nnz
    return entries
