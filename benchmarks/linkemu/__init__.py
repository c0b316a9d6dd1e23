"""Link emulator: a loopback TCP proxy that behaves like a bad rural mobile link.

Why: Tapis syncs from cooperative offices in Lampung where the "network" is
GPRS/EDGE with half-second round trips, and where a motorbike ride through a
blank spot cuts every connection mid-request. Sync code has to survive that,
so tests and benchmarks put this proxy between client and server to slow
bytes down (token bucket per direction, paced in small slices), delay them
(RTT/2 each way), and cut connections with a real RST (after N bytes, at
seeded-random byte counts, every T seconds, or on going offline). Faults are
drawn from a seeded ``random.Random`` so a failure seen once can be replayed
exactly. It only ever listens on, and connects to, 127.0.0.1.

    with LinkEmulator(("127.0.0.1", server_port), PROFILES["64k"], seed=7) as link:
        requests.get(link.url_for("/health"))
        link.stats.bytes_up, link.stats.cuts
"""

from .emulator import LinkEmulator
from .policy import CutPolicy
from .profiles import PROFILES, LinkProfile, get_profile
from .stats import LinkStats, StatsSnapshot

__all__ = ["PROFILES", "CutPolicy", "LinkEmulator", "LinkProfile", "LinkStats",
           "StatsSnapshot", "get_profile"]
