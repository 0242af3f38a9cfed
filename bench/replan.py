"""Planning one long scene of distinct beats, and re-planning it after one beat is edited.

Issue 19's targets: a 2,000-beat scene of distinct beats planned in at most 15 s, and the
re-plan after editing one beat at most 25 % of the first plan made with a cold cache. Each
figure is ``beatcam plan`` run as a user runs it, a fresh process timed whole (CPU of the
process and its children, and wall):

- the first plan, into an empty cache (``XDG_CACHE_HOME`` a fresh folder): the baseline;
- the re-plan after one beat in the middle is reworded, from that cache, as a ratio of the
  baseline's CPU; its plan.json must be the bytes of a cache-off plan of the edited scene;
- with ``--against REF``, the same two runs of that commit's code, each just before this
  code's, so the two meet the same load.

    .venv/bin/python bench/replan.py [--beats 2000] [--rounds 1] [--against main]

The beats are the twelve kitchen sentences of ``bench/plan.py``, each with one of 168 endings
(when, how), so every beat is distinct and the scene reads as one scene.

Figures on the shared 2-core machine (load average 4-9 from other sessions), 200 beats, one
round, against the code before (main at 703b09d); CPU seconds are the ones to compare:

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            25.13   59.49    1.000   <= 15 s
    this       re-plan after editing one beat      4.43    7.98    0.176   <= 0.25
    703b09d    first plan, empty cache            48.40  136.70    1.000   <= 15 s
    703b09d    re-plan after editing one beat     43.53   89.44    0.899   <= 0.25

The same code after the director's work of its session was merged (idle machine; 2,000 beats
run for this code alone, since the code before cannot plan it in reasonable time):

    code       run                                cpu s  wall s  x first    target
    this       first plan, 200 beats               25.73   25.68    1.000
    this       re-plan, 200 beats                   4.63    4.57    0.180   <= 0.25
    703b09d    first plan, 200 beats               42.51   42.49    1.000
    703b09d    re-plan, 200 beats                  39.69   39.66    0.934   <= 0.25
    this       first plan, 2,000 beats            308.30  309.90    1.000   <= 15 s
    this       re-plan, 2,000 beats                73.87   75.47    0.240   <= 0.25

The re-plan target is met: a shot's camera track and the shot as the critic's repairs settled
it are stored in the project cache by the content of what makes them (``pipeline/reuse.py``),
so the re-plan searches and repairs again only the shots the edit reached (its plan.json is
the bytes of a cache-off plan). What it still redoes is the director's whole scene (about half
of it), the key of every shot, writing the files and starting Python.

The first plan costs 48 % less CPU: a camera held still works out the rays of its clear-view
test once per hold instead of once per frame (most of the camera's candidates are locked off),
and a scene that sits again where a chair stands no longer adds a chair carried on every frame
(plan.json grew with the square of the scene: 84 MB at 400 beats). It is still far from the
15 s target, at about 0.12 s a beat: each shot's camera search tries some 27 candidates, each
checked over every frame, and the shots left failing a cut rule (one in twenty) search again
from up to eleven places round their subject, over half of the camera's time. Reaching it
needs a cheaper search (candidates judged on a few frames, the winner on all), which changes
which candidate wins and so the plans' bytes.

2,000 beats, this code alone, the same two runs timed with /usr/bin/time (the code before
did not finish one such plan in half an hour; 703b09d was not run at this size): the first
plan 284.35 s CPU (259.08 user, 25.27 system), 647 s wall, 6.3 GB peak; the re-plan after one
edit 78.15 s CPU (58.36 user, 19.79 system), 81 s wall: 0.275 of the first plan, just over the
target (its user time alone is 0.225). A quarter of the re-plan's CPU is system time, the
kernel handing it the 6 GB a 2,000-beat plan peaks at, which the re-plan builds again whole;
not yet profiled, but every character posed on each of some 235,000 frames, and plan.json's
per-frame arrays, are the likely bulk.

The camera's search made cheaper without changing a byte of any plan (branch ``search``, 200
beats, one round against its base 601b6b3 in the same run, machine shared with other sessions):

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            14.56   14.75    1.000   <= 15 s
    this       re-plan after editing one beat      4.51    6.58    0.309   <= 0.25
    601b6b3    first plan, empty cache            26.51   31.22    1.000   <= 15 s
    601b6b3    re-plan after editing one beat      4.42    4.51    0.167   <= 0.25

The first plan costs 45 % less CPU; in process (paired), the camera's part went from 19.1 s to
6.5 s of it (affect 1.8 s, direct 1.9 s and the critic 1.7 s did not change). A lens's azimuth
candidates are judged together (``checks.Batch``: their poses stacked, each check run once
over all their frames, a locked-off camera's placed by one ``orbit``), where each candidate
took a numpy pass of its own; the sight test skips the set boxes a segment's bounding box
does not meet, the walled test the boxes no ray of the camera can reach within its limit and
the frames something already hides, and a lens clamped onto one already tried is not tried
again. Each is exact: tests check the batch against each candidate judged alone and the
skipping tests against testing every box. The re-plan did not change, so its share of the
first plan rose past the target: what it redoes (the director's whole scene, the keys,
starting Python) is now most of a first plan's non-camera work.

The repairs' searches made cheaper without changing a byte of any plan (branch ``scale2``, one
run against its base 6a6d02a, 2,000 beats one round, 200 beats medians of two; machine shared
with other sessions):

    code       run                                cpu s  wall s  x first    target
    this       first plan, 2,000 beats            67.31   74.00    1.000   <= 15 s
    this       re-plan, 2,000 beats               15.16   15.36    0.225   <= 0.25
    6a6d02a    first plan, 2,000 beats            73.19   73.33    1.000   <= 15 s
    6a6d02a    re-plan, 2,000 beats               15.91   16.08    0.217   <= 0.25
    this       first plan, 200 beats               6.27    6.18    1.000
    this       re-plan, 200 beats                  1.37    1.27    0.218
    6a6d02a    first plan, 200 beats               7.08    6.98    1.000
    6a6d02a    re-plan, 200 beats                  1.41    1.31    0.199

(Earlier runs of the same 2,000-beat pair during the branch, each against 6a6d02a in its own
run: 70.21 against 76.35 s and 70.74 against 78.61 s for the first plan, re-plans 16.40
against 16.80 s and 16.27 against 17.43 s; the base's own first plan moved by 5 s between
runs, the machine's noise.)

The versions of one shot that a repair tries (the camera stood elsewhere round its subject, the
beat covered another way) share the candidates their searches judged with the set and the cast
(``camera.Judged``: a third fewer judged at 2,000 beats, 318,785 -> 216,490), a version whose
cut breaks a rule is not given the shot's own checks, a locked-off camera's candidates are
placed with fewer numpy passes, and a posed figure is kept once per posture rather than laid
out on every frame (the director poses the whole scene four times). The re-plan's share of
the first plan is about what it was: the director's whole scene and the four files, made
again, are most of it.

Where a 2,000-beat first plan's CPU goes now (in process, cache off): the encoder about 10.5 s
(0.9 teraflop of float32 products for 41,432 word pieces on one BLAS thread, near this CPU's
peak for one core), the rest of the affect stage 1.5 s, the director about 6 s, the camera's
searches with the critic and its repairs about 35 s, the four files 4 s, then starting Python
and the cache.
The 15 s target needs a search that judges fewer candidates, and more than one thread for the
encoder, each of which changes which numbers come out unless shown otherwise.

At 600 beats and more the re-plan is not the bytes of a cache-off plan of the edited scene, on
6a6d02a as on this branch (2,000 beats: the affect of beats 1808 and 1825; 600 beats: beat
424, an intent belief .0891 against .0892): a sentence's vector changes in its last bits with
the sentences stacked beside it in the encoder (69 of 600 vectors change when one other beat
is reworded; ``tests/test_encoder_cache.py`` fails on 6a6d02a for this), so a vector the
first plan stored is not the one the cache-off plan computes. The run reports it after the
figures and fails.

Fixed on main: each sentence's matrix products are now its own BLAS calls
(``affect/embedding._forward``; OpenBLAS sums a row by its place in its kernel's panel). The
merged code at the end of that session, one round against the session's start 8a72af0 in the
same run, 2,000 beats, an otherwise idle machine:

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            71.40   71.68    1.000   <= 15 s
    this       re-plan after editing one beat     15.61   15.90    0.219   <= 0.25
    8a72af0    first plan, empty cache           103.39  103.95    1.000   <= 15 s
    8a72af0    re-plan after editing one beat     34.70   35.28    0.336   <= 0.25

This code's re-plan is the bytes of a cache-off plan; 8a72af0's differs at beat 1825, so the
run exits 1 for it. The encoder's own cost rose (2,000 sentences 10.7 -> 14.8 s in process: each
weight now streams through the caches once per sentence), which the camera's and the files'
savings outweigh.

Both cores used, without changing a byte of any plan (branch ``scale3``): the encoder's batches
of a long scene run on a thread a core (each batch whole on one thread, every product on one
BLAS thread, so every vector is the bytes one thread makes: 4,245 sentences in process 31.86 s
CPU / 31.99 s wall -> 31.73 / 16.50 s), and a long scene's shots are settled in two parts, the
second in a process of its own, joined in order into the plan settling them in order makes
(``pipeline/parts.py``; at 2,000 beats one shot is settled again at the join). One run against
8ac169d, 2,000 beats, the machine shared with other sessions' benchmarks (load average 2.5-4):

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            76.48   78.32    1.000   <= 15 s
    this       re-plan after editing one beat     16.35   17.70    0.214   <= 0.25
    8ac169d    first plan, empty cache            67.93   70.59    1.000   <= 15 s
    8ac169d    re-plan after editing one beat     14.63   14.99    0.215   <= 0.25

(An earlier run at load average 5-6: 72.16 s CPU, 93.69 s wall against 66.70 and 79.15.) With
no core free the two cores cannot shorten the wall time, and running at once costs CPU: the
part's start (0.8 s at 2,000 beats, most of it the direction's pickle) and each process
running slower beside the other. Where a core is free they do: 500 beats in process, the two
ways alternating in one run, 13.21 s CPU / 11.45 s wall in one process against 13.97 / 8.71 s
in two. The 15 s target still needs a camera search that judges fewer candidates.

The session's merged end code against its start 8ac169d, one run, 2,000 beats, an idle
machine (the re-plan's CPU rose with the parts' start, which buys little when most shots come
from the cache):

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            72.35   44.68    1.000   <= 15 s
    this       re-plan after editing one beat     16.95   16.40    0.234   <= 0.25
    8ac169d    first plan, empty cache            70.02   70.65    1.000   <= 15 s
    8ac169d    re-plan after editing one beat     14.56   14.82    0.208   <= 0.25

Branch ``speed5`` (word pieces of ASCII text cut in Python, the schemas' checks in loops,
numpy's reductions over rows of two to four written out: each the same bits), against cb547af,
2,000 beats, one round a run, the machine shared with another session's benchmarks. Midway
(the schemas, the frame grade and ``held_frames`` only):

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            75.31   75.33    1.000   <= 15 s
    this       re-plan after editing one beat     15.26   15.11    0.203   <= 0.25
    cb547af    first plan, empty cache            76.78   76.41    1.000   <= 15 s
    cb547af    re-plan after editing one beat     15.43   15.92    0.201   <= 0.25

and at the end:

    this       first plan, empty cache            76.62   70.55    1.000   <= 15 s
    this       re-plan after editing one beat     17.48   18.14    0.228   <= 0.25
    cb547af    first plan, empty cache            76.55   68.78    1.000   <= 15 s
    cb547af    re-plan after editing one beat     18.05   18.36    0.236   <= 0.25

The two codes' first plans are level within these runs' noise (~2 s on the shared machine).
In one process, 500 beats, cache off, the two codes alternating twice: 14.4 -> 13.4 s of CPU
(settling the shots 8.6 -> 7.9 s, the files 0.87 -> 0.78 s), 7 % less.

At 500 beats in one process (cache off, 14.7 s CPU), what the repairs' last strategies cost:
*stand elsewhere* searched 866 versions, 560 of which then failed the cut (1.07 s of search),
*cover another way* 321, 128 failing the cut (0.56 s). A check before the search would need
every candidate's first position (phase two sweeps +-90 degrees round the asked azimuth from
the lens phase one chose, so it mostly straddles the line): about the cost of the poses, for
at most ~11 % of the plan. The rest is spread thin: ~340,000 small numpy reductions, the sight
and wall tests, ``statics`` and the director's candidates, each a few percent.

Session 13's end (its director reads whose beat it is: pronouns, the one who moves, the one who
rises), one round against the session's start 1e3f594 in the same run, 2,000 beats:

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            44.13   29.80    1.000   <= 15 s
    this       re-plan after editing one beat     15.37   14.40    0.348   <= 0.25
    1e3f594    first plan, empty cache            71.94   44.08    1.000   <= 15 s
    1e3f594    re-plan after editing one beat     15.98   15.45    0.222   <= 0.25

The first plan's saving is the director's: on the kitchen scene (400 beats, cache off) the
critic's repairs fell from 197 to 89 of 401 shots, with no "cover another way" or "stand
elsewhere" search left (11.7 -> 6.1 s user). The re-plan's own cost hardly moved, so its ratio
went over the target. Where the re-plan's 15.8 s of CPU go (process time, this code): the plan
files 7.0 s (plan.json, 491 MB, encoded 2.0 s; their cache entry pickled, digested and written
1.7 s; the input hash put in place, a copy of each file), the director's whole scene 3.5 s, the
settling of the shots the edit reached 1.3 s (and 1.3 s in the second process), writing the
files 1.1 s, the affect stage 1.1 s. Back under a quarter needs the files written in pieces
around the hash and the director's candidates reused per slot by content.

Branch ``speed6`` (the director and the affect stage untouched), one round against main
(91fe662) in the same run, 2,000 beats:

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            37.87   24.42    1.000   <= 15 s
    this       re-plan after editing one beat      9.46    9.51    0.250   <= 0.25
    main       first plan, empty cache            45.47   43.90    1.000   <= 15 s
    main       re-plan after editing one beat     18.89   18.89    0.415   <= 0.25

(Two runs before it, of this code less its last one or two steps: 9.57 against 40.26 s, 0.238
beside 11ee6a6, and 10.20 against 41.07 s, 0.248 beside main; the first plan moves by 3 s
between runs, so the ratio sits at the target rather than under it with room.)

Each step keeps every byte of every plan: plan.json is made, cached and written as runs
(``files.Runs``: a chair's quarter of a million equal rows one piece), so the 491 MB text is
never spelled out in memory, its cache entry is 100 MB instead of 520 and the input's hash
goes in run by run instead of in a copy of each file (a first plan's peak memory 3.0 -> 1.4
GB, most of the system time gone with it); a re-plan whose shots the cache holds settles them
in one process (a part's process cost more than reading its shots: ``reuse.tracks_to_make``
asks one shot in 20); plan.json's runs are found before rounding and its keys written once, a
rig's circle fitted only when a rule asks, the setups worked out once a plan, trajectory rows
formatted once a run; figures posed with fewer passes; the keys read the set's boxes as one
array; the cyclic garbage collector waits while a plan and its files are made
(``beatcam.collector``). What a re-plan still redoes, in
process (9.4 s): the director's whole scene 3.7 s and the affect stage 1.1 s (untouched here),
the plan files 2.7 s (plan.json 1.6: the document 0.5, its schema check 0.25, the text 0.7;
the shot list, trajectory and critique 0.3-0.4 each), reading and keying the 2,005 shots
1.5 s (of it 0.3 s posing a figure whose face turns the reaction shots' keys read, and
0.3 s reading tracks that the settled shots then replace), storing the new plan and files
0.5 s, writing them 0.3 s (up to 1.1 s of system time when the disk is still flushing the
runs before). Further room needs the director's candidates reused by content, or the first
tracking skipped for shots the cache holds settled (the settled key reads the tracked lens).

Branch ``speed7`` (the encoder's GELU picks each element's half of its Φ through a bit mask
instead of a masked subtraction that branched on every sign, and works 64 rows at a time so
its buffers stay in a core's L2; the director's hard constraints kept by what they read;
plan.json's numbers and words told by their type first; the cache one folder a namespace),
two rounds against 8535b11 in the same run, 2,000 beats, medians:

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            36.92   37.47    1.000   <= 15 s
    this       re-plan after editing one beat      9.17    9.44    0.248   <= 0.25
    8535b11    first plan, empty cache            37.99   38.55    1.000   <= 15 s
    8535b11    re-plan after editing one beat      9.73   10.09    0.256   <= 0.25

(A one-round run midway, with the GELU and the director's steps: 40.45 against 39.44 s for
the first plan, re-plans 8.90 and 9.76; a plan moves by 2 s or more between runs.) In
process, each step beside 8535b11: the GELU 0.44 -> 0.16 s of CPU on 400 beats (the encoder
2.76 -> 2.57 s), the director 3.2 -> 2.9 s and plan.json 1.22 -> 1.14 s on 2,000 beats. The
15 s target stays far. The encoder's products are ~10 s of a 2,000-beat plan by themselves:
each sentence's product is its own sgemm (~70 GFLOPS here, where one large product runs at
~125), and a stacked sentence's rows change their last bits with their place and the
product's size (every length from 1 to 48 word pieces, even with nothing stacked before it).
A C-contiguous copy of each weight makes the products ~7 % faster with the same bits here
(two or more word pieces), but a one-row product differs and other CPUs' kernels may, and the
copy (42 MB) would land on the cold start. And the ~6,700 entries a first plan stores, a file
each (2,000 sentence vectors, 2,721 camera tracks, 2,005 settled shots), cost 0.02-0.6 ms of
the kernel's CPU apiece on this machine, changing from minute to minute with the other
sessions' disk work: 0.2-4 s of a plan, most of its run-to-run noise, which only storing
fewer files (a change of the cache's design) would spare.

Session 20 (the encoder's dense layers multiply by each weight as stored, ``weight @ x.T``,
the same bits: OpenBLAS had packed the transposed weight afresh for every sentence, 44 against
70 GFLOPS on one core; the director's and the repairs' changes of that session beside it), one
round against d770366 in the same run, 2,000 beats, an idle machine:

    code       run                                cpu s  wall s  x first    target
    this       first plan, empty cache            72.60   45.98    1.000   <= 15 s
    this       re-plan after editing one beat     14.25   14.26    0.196   <= 0.25
    d770366    first plan, empty cache            84.02   51.93    1.000   <= 15 s
    d770366    re-plan after editing one beat     15.53   15.54    0.185   <= 0.25

In process, 3,245 sentences encoded took 41.6 -> 29.9 s of CPU on one core. Where a first plan
of 2,000 beats went before it (py-spy, cache off, 120 s of CPU under the profiler): the
encoder's products 23 %, the camera's searches with the critic and repairs about 45 %, spread
over many small numpy passes (the sight and wall tests, the rotations, the grades, each 2-3 %).

Session 21 (a beat's slot that picks the shot before it again plays on as one take; the
readouts refitted with blind23), one round against 0a4b015, 2,000 beats, an idle machine: the
first plan 81.60 -> 82.15 s CPU, the re-plan 14.97 -> 16.71 s (0.184 -> 0.203 of the first):
level within one round's noise (~2 s here).

Session 22 (screenplay dialogue; readouts refitted to 4,197 situations), one round against
85271d3, 200 beats, an idle machine: the first plan 6.40 -> 6.97 s CPU, the re-plan 1.36 ->
1.35 s (0.212 -> 0.194 of the first): level within a round's noise.

Session 23 (the exchange of lines shaped to its turn; readouts refitted to 4,797 situations),
3 rounds against 85271d3, 200 beats, an idle machine: the first plan 8.69 -> 8.71 s CPU, the
re-plan 1.76 -> 1.52 s (0.202 -> 0.175 of the first): level.

Session 24 (groups staggered in depth; whoever is busy at a table seated; readouts refitted to
4,947 situations), 3 rounds against 21bbd52, 200 beats, an idle machine: the first plan 8.70 ->
6.83 s CPU (5.34 -> 4.62 s wall), the re-plan 1.49 -> 1.65 s (0.171 -> 0.242 of the first, within
the 0.25 target); the re-plan is the bytes of a cache-off plan. The bench's beats seat Mara at
the kitchen table, and its plan changes with it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from cold_start import checkout, installed, measured
from plan import SENTENCES

TARGET_SECONDS = 15.0  # issue 19: 2,000 distinct beats
TARGET_REPLAN = 0.25  # issue 19: re-plan after one edit, over the cold first plan
# The targets' 2,000 beats take minutes a plan on the shared 2-core machine (and 6 GB), too long
# for `make bench`; ask for them with --beats 2000.
DEFAULT_BEATS = 200
WHEN = (
    "at dawn", "at noon", "at dusk", "at midnight", "in the rain", "in the heat",
    "after the call", "before the guests", "on the third day", "that winter", "that spring",
    "in the half-light", "by candlelight", "once more",
)  # fmt: skip
HOW = (
    "slowly", "quickly", "without a word", "with a sigh", "half smiling", "in silence",
    "as if nothing happened", "trembling", "with great care", "for the last time",
    "under her breath", "all at once",
)  # fmt: skip
EDITED = "Mara drops the cup, and it shatters across the tiles."


def beats(count: int) -> list[str]:
    """``count`` distinct beats (at most 12 x 14 x 12 = 2,016)."""
    endings = [f"{when}, {how}" for how in HOW for when in WHEN]
    if count > len(SENTENCES) * len(endings):
        raise SystemExit(f"at most {len(SENTENCES) * len(endings)} distinct beats")
    return [
        f"{SENTENCES[i % len(SENTENCES)].rstrip('.')}, {endings[i // len(SENTENCES)]}."
        for i in range(count)
    ]


def scene_text(lines: list[str]) -> str:
    return "\n".join(["# Long", "Cast: Mara, Tom", "Set: kitchen", *lines]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beats", type=int, default=DEFAULT_BEATS)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--against", help="a git ref whose code is measured alongside")
    arguments = parser.parse_args()

    lines = beats(arguments.beats)
    edited = [*lines]
    edited[len(lines) // 2] = EDITED
    with tempfile.TemporaryDirectory(prefix="beatcam-replan-") as scratch:
        base = Path(scratch)
        first, second = base / "scene.txt", base / "edited.txt"
        first.write_text(scene_text(lines), encoding="utf-8")
        second.write_text(scene_text(edited), encoding="utf-8")
        codes = {"this": Path(__file__).resolve().parents[1] / "src"}
        if arguments.against:
            (base / "against").mkdir()
            codes[arguments.against] = checkout(arguments.against, base / "against")

        def plan(src: Path, scene: Path, out: Path, cache_home: Path | None) -> tuple[float, float]:
            env = {**installed(), "PYTHONPATH": str(src), "BEATCAM_CACHE": "0"}
            if cache_home is not None:
                env |= {"BEATCAM_CACHE": "1", "XDG_CACHE_HOME": str(cache_home)}
            command = [sys.executable, "-m", "beatcam", "plan", str(scene), "-o", str(out), "-q"]
            return measured(command, env)

        runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
        differing: dict[str, str] = {}
        for name, src in codes.items():  # compiles each code's bytecode; the reference bytes
            plan(src, second, base / f"reference-{name}", None)
        for round_ in range(arguments.rounds):
            for name, src in codes.items():
                home, out = base / f"cache-{round_}-{name}", base / f"out-{round_}-{name}"
                runs.setdefault((name, "first plan, empty cache"), []).append(
                    plan(src, first, out / "first", home)
                )
                runs.setdefault((name, "re-plan after editing one beat"), []).append(
                    plan(src, second, out / "edited", home)
                )
                made = out / "edited" / "plan.json"
                reference = base / f"reference-{name}" / "plan.json"
                if made.read_bytes() != reference.read_bytes():
                    differing[name] = _apart(made, reference)

    print(f"{arguments.beats} distinct beats, medians of {arguments.rounds} round(s)\n")
    print(f"{'code':<10} {'run':<32} {'cpu s':>7} {'wall s':>7} {'x first':>8} {'target':>9}")
    for name in codes:
        first_cpu = statistics.median(cpu for cpu, _ in runs[(name, "first plan, empty cache")])
        for label in ("first plan, empty cache", "re-plan after editing one beat"):
            cpu = statistics.median(sample[0] for sample in runs[(name, label)])
            wall = statistics.median(sample[1] for sample in runs[(name, label)])
            target = (
                f"<= {TARGET_SECONDS:g} s" if label.startswith("first") else f"<= {TARGET_REPLAN}"
            )
            print(
                f"{name:<10} {label:<32} {cpu:7.2f} {wall:7.2f} {cpu / first_cpu:8.3f} {target:>9}"
            )
    for name, apart in differing.items():
        print(f"{name}: the re-plan differs from a cache-off plan: {apart}")
    if differing:
        raise SystemExit(1)


def _apart(made: Path, reference: Path) -> str:
    """Which beats and shots (indices) differ between two plan.json files: the runs' timings
    still stand, but the re-plan is not the bytes it must be."""
    first, second = (json.loads(path.read_text(encoding="utf-8")) for path in (made, reference))
    parts = []
    for part in ("beats", "shots"):
        pairs = zip(first[part], second[part], strict=False)  # lengths may differ too
        parts.append(f"{part} {[index for index, (a, b) in enumerate(pairs) if a != b]}")
    return "; ".join(parts)


if __name__ == "__main__":
    main()
