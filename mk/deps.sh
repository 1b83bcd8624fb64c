#!/bin/sh
# deps.sh - make sure the Debian packages a target needs are installed.
#
# Usage: mk/deps.sh PACKAGE...
# As root, installs what is missing with apt-get (running apt-get update
# first when the package lists are empty or the install fails). Otherwise
# prints the exact command to run and fails.
set -u
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "greenfetch needs these Debian packages:$missing" >&2
	echo "run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Packages with a service (nginx, dnsmasq) must not start it: the tests
# start their own, on loopback ports of their choosing.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
	apt-get update -q >&2 || exit 1
fi
apt-get install -y -q --no-install-recommends $missing >&2 && exit 0
apt-get update -q >&2 && apt-get install -y -q --no-install-recommends $missing >&2
