#!/bin/sh
# Silo container health check: healthy once the silo listens on Silo__Port (default 11111).
#
# Why not connect to the port: the silo speaks Orleans' protocol, and a bare TCP connect that never sends a
# handshake is logged by the silo as a failed inbound handshake, every interval. Reading the kernel's socket table
# needs no connection, no extra package and no dotnet start-up.
#
# What it proves: the silo started Orleans (its PostgreSQL schema is applied at the first lifecycle stage, before it listens) and its TCP endpoint is
# up; it joins the membership table right after. A silo declared dead stops its own process, so a running one that
# listens is a good-enough liveness signal.
port="${Silo__Port:-11111}"
hex=$(printf '%04X' "$port") || exit 1
# /proc/net/tcp{,6} rows: "sl local_address rem_address st ..."; state 0A is LISTEN.
grep -qsE "^ *[0-9]+: [0-9A-F]+:${hex} [0-9A-F]+:[0-9A-F]{4} 0A " /proc/net/tcp /proc/net/tcp6
