// The health probe: ONE read-only POSIX sh script per sweep (dash, busybox ash, bash; Debian, Ubuntu, Alpine, RHEL),
// run as whatever user the admin logs in as. It prints raw sources in `@section` blocks and leaves the parsing to
// parse-probe.ts, where it is typed and tested. It never writes, never downloads, never asks a package manager to
// refresh: pending upgrades come from the package manager's cache only.
import { CoreError } from '../../errors';
import { quote } from '../../ssh/shell-quote';

/** A declared service to check on the server. Values are user text: validated here, then quoted anyway. */
export interface ProbeService {
  id: string;
  /** systemd unit, e.g. `nginx.service` or `php8.2-fpm`. */
  unit: string | null;
  /** Process name as in /proc/PID/comm (the kernel keeps its first 15 characters). */
  process: string | null;
  /** TCP port that must be listening. */
  port: number | null;
}

export interface ProbeScriptOptions {
  /**
   * Count pending upgrades. Costs about a second of CPU on Debian (`apt list` builds the package cache in memory) and
   * more on RHEL (dnf is Python), so a scheduler may ask for it on some sweeps only. Default true.
   */
  upgrades?: boolean;
}

export const PROBE_HEADER = '@pelote-probe 1';

const SERVICE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// A leading '-' is legitimate (`-.mount` is the root file system): units are passed after `--`.
const UNIT = /^[A-Za-z0-9@._:-]{1,256}$/;
const PROCESS = /^[A-Za-z0-9._+-]{1,64}$/;
/** The kernel truncates /proc/PID/comm to TASK_COMM_LEN - 1 characters. */
const COMM_LENGTH = 15;

// Pseudo, in-memory, image and network filesystems: not the server's disks. Network ones are left out because a dead
// NFS or CIFS server makes df hang, and with it the whole probe.
const SKIPPED_FS_TYPES = [
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts', 'devtmpfs', 'efivarfs',
  'fusectl', 'fuse.gvfsd-fuse', 'fuse.lxcfs', 'fuse.portal', 'fuse.snapfuse', 'fuse.sshfs', 'hugetlbfs', 'iso9660',
  'mqueue', 'nfs', 'nfs4', 'nfsd', 'nsfs', 'overlay', 'proc', 'pstore', 'ramfs', 'rootfs', 'rpc_pipefs', 'securityfs',
  'selinuxfs', 'smb3', 'smbfs', 'cifs', 'squashfs', 'sysfs', 'tmpfs', 'tracefs', 'aufs', 'afs', 'ceph', 'glusterfs',
];

// Shell parameter expansions are written without braces here: `${` belongs to TypeScript's template.
const PRELUDE = String.raw`export LC_ALL=C
# Non-login shells of ordinary users often lack the sbin directories; appended, so the user's PATH still wins.
PATH="$PATH:/usr/sbin:/sbin"
nl='
'
section() { echo "@section $*"; }
dump() { section "$1"; cat "$2" 2>/dev/null; }

echo '${PROBE_HEADER}'
if [ ! -r /proc/stat ]; then section unsupported "$(uname -s 2>/dev/null)"; exit 0; fi

section stat
awk '/^cpu / || /^btime / { print } /^cpu[0-9]/ { cpus++ } END { print "cpus", cpus + 0 }' /proc/stat
dump loadavg /proc/loadavg
dump meminfo /proc/meminfo
dump uptime /proc/uptime

# Real filesystems only, as "type mountpoint" (/proc/mounts escapes blanks as octal; newlines and backslashes in
# mount points are not worth the trouble). df is asked about these mount points only, never about the others.
mounts=$(awk -v skip=' ${SKIPPED_FS_TYPES.join(' ')} ' '
  index(skip, " " $3 " ") == 0 && $2 !~ /\\(012|134)/ {
    gsub(/\\040/, " ", $2); gsub(/\\011/, "\t", $2); print $3, $2 }' /proc/mounts 2>/dev/null)
section mounts
[ -n "$mounts" ] && printf '%s\n' "$mounts"
set --
while read -r fstype mountpoint; do [ -n "$mountpoint" ] && set -- "$@" "$mountpoint"; done <<EOF
$mounts
EOF
section df
[ $# -gt 0 ] && df -P -k "$@" 2>/dev/null
section dfi
[ $# -gt 0 ] && df -P -i "$@" 2>/dev/null

dump netdev /proc/net/dev

# Whole physical disks: the ones with a device behind them (not loop, ram, zram, dm or md), optical drives aside.
section diskstats
disks=$(cd /sys/block 2>/dev/null && for n in *; do
  case $n in sr*|fd*) continue ;; esac
  [ -e "$n/device" ] && printf '%s ' "$n"
done)
[ -n "$disks" ] && awk -v disks=" $disks" 'index(disks, " " $3 " ")' /proc/diskstats 2>/dev/null

# sd_booted(): systemd is PID 1 only if this directory exists (containers and chroots may ship systemctl without it).
systemd=
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemd=1; fi
if [ -n "$systemd" ] && failed=$(systemctl --failed --no-legend --plain --no-pager 2>/dev/null); then
  section failed-units
  [ -n "$failed" ] && printf '%s\n' "$failed"
else
  section failed-units unavailable
fi

if [ -e /var/run/reboot-required ]; then
  reboot=yes
elif command -v needs-restarting >/dev/null 2>&1; then
  needs-restarting -r >/dev/null 2>&1
  case $? in 0) reboot=no ;; 1) reboot=yes ;; *) reboot= ;; esac
elif [ -e /etc/alpine-release ] && [ -d /lib/modules ]; then
  # apk removes the old kernel's modules on upgrade: the running kernel's are gone until the reboot.
  if [ -d "/lib/modules/$(uname -r)" ]; then reboot=no; else reboot=yes; fi
elif [ -e /etc/kernel/postinst.d/unattended-upgrades ] || [ -e /usr/share/update-notifier/notify-reboot-required ]; then
  reboot=no # something here would have created /var/run/reboot-required
else
  reboot=
fi
if [ -n "$reboot" ]; then section reboot-required; echo "$reboot"; else section reboot-required unavailable; fi

unit_states() {
  while IFS= read -r state; do
    [ $# -gt 0 ] && [ -n "$state" ] || break
    echo "service $1 unit $state"
    shift
  done
}
service_process() {
  [ -n "$comms_read" ] || { comms=$(cat /proc/[0-9]*/comm 2>/dev/null); comms_read=1; }
  [ -n "$comms" ] || return 0
  case "$nl$comms$nl" in *"$nl$2$nl"*) present=yes ;; *) present=no ;; esac
  echo "service $1 process $present"
}
service_port() {
  if [ -z "$listening_read" ]; then
    tcp=
    for f in /proc/net/tcp /proc/net/tcp6; do [ -r "$f" ] && tcp="$tcp $f"; done
    # State 0A is LISTEN; the local port is the hex after the colon of the second field.
    [ -n "$tcp" ] && listening=$(awk '$4 == "0A" { sub(/.*:/, "", $2); print $2 }' $tcp 2>/dev/null)
    listening_read=1
  fi
  [ -n "$tcp" ] || return 0
  case "$nl$listening$nl" in *"$nl$2$nl"*) open=yes ;; *) open=no ;; esac
  echo "service $1 port $open"
}
`;

const UPGRADES = String.raw`
# From the cache only: none of these refreshes package lists or downloads anything.
if [ -x /usr/lib/update-notifier/apt-check ]; then
  tool=apt-check; out=$(/usr/lib/update-notifier/apt-check 2>&1 >/dev/null)
elif command -v apt >/dev/null 2>&1 && [ -d /var/lib/dpkg ]; then
  tool=apt; out=$(apt list --upgradable 2>/dev/null)
elif command -v apk >/dev/null 2>&1; then
  tool=apk; out=$(apk version -l '<' 2>/dev/null)
elif command -v dnf >/dev/null 2>&1; then
  tool=dnf; out=$(dnf -C -q check-update 2>/dev/null)
elif command -v yum >/dev/null 2>&1; then
  tool=yum; out=$(yum -C -q check-update 2>/dev/null)
else
  tool=
fi
status=$? # the if's status is its branch's last command: the command substitution's
if [ -n "$tool" ]; then
  section upgrades "$tool" "$status"
  [ -n "$out" ] && printf '%s\n' "$out"
else
  section upgrades unavailable
fi
`;

/** The probe for these services, to run as `sh -c <script>`. Throws `probe_service_invalid` on unsafe values. */
export function probeScript(services: ProbeService[], options: ProbeScriptOptions = {}): string {
  const { upgrades = true } = options;
  return [PRELUDE, servicesPart(services), upgrades ? UPGRADES : '', "section end\n"].join('\n');
}

function servicesPart(services: ProbeService[]): string {
  for (const service of services) validate(service);
  const lines = ['section services'];
  for (const { id } of services) lines.push(`echo service ${quote(id)} declared`);
  const withUnit = services.filter((s): s is ProbeService & { unit: string } => s.unit !== null);
  if (withUnit.length > 0) {
    // One systemctl for all units; it prints one state per unit, in order.
    const units = withUnit.map((s) => quote(s.unit)).join(' ');
    const ids = withUnit.map((s) => quote(s.id)).join(' ');
    lines.push(`[ -n "$systemd" ] && systemctl is-active -- ${units} 2>/dev/null | unit_states ${ids}`);
  }
  for (const { id, process } of services) {
    if (process !== null) lines.push(`service_process ${quote(id)} ${quote(process.slice(0, COMM_LENGTH))}`);
  }
  for (const { id, port } of services) {
    if (port !== null) lines.push(`service_port ${quote(id)} ${hexPort(port)}`);
  }
  return lines.join('\n');
}

function validate(service: ProbeService): void {
  const invalid = (field: string): CoreError =>
    new CoreError('probe_service_invalid', `Service ${JSON.stringify(service.id)} has an invalid ${field}`, {
      id: service.id,
      field,
    });
  if (!SERVICE_ID.test(service.id)) throw invalid('id');
  if (service.unit !== null && !UNIT.test(service.unit)) throw invalid('unit');
  if (service.process !== null && !PROCESS.test(service.process)) throw invalid('process');
  if (service.port !== null && !(Number.isInteger(service.port) && service.port >= 1 && service.port <= 65535)) {
    throw invalid('port');
  }
}

/** As /proc/net/tcp writes ports: four upper-case hex digits. */
function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}
