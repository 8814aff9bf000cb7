#!/usr/bin/env bash
# Makes real speech for the simulator: speech.ulaw = raw 8 kHz mono G.711 u-law (no header), as Twilio sends it.
# Needs espeak-ng and sox (Debian/Ubuntu: apt-get install -y espeak-ng sox).
# Usage: ./make-speech.sh [output.ulaw] [text]
#        dotnet run --project tools/TwilioSim -- --url ws://127.0.0.1:8081/twilio/media-stream --audio speech.ulaw
set -euo pipefail

out="${1:-speech.ulaw}"
text="${2:-Hello, thanks for calling Switchboard. I would like to check the status of my order, please. It was placed last Tuesday and the number is four two seven nine. Can you tell me when it will arrive?}"

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found (apt-get install -y espeak-ng sox)" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
espeak-ng -w "$tmp/speech.wav" "$text"
sox "$tmp/speech.wav" -r 8000 -c 1 -e u-law -t raw "$out"
echo "wrote $out ($(wc -c < "$out") bytes, $(( $(wc -c < "$out") / 8000 )) s)"
