#!/bin/sh
# One dated backup snapshot: BACKUP_DIR/<UTC timestamp>/paragraf.dump and BACKUP_DIR/<UTC timestamp>/media/.
#
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/paragraf/media scripts/backup.sh /backup
#
# The media copy is a full tree per snapshot, hard-linked (rsync --link-dest) to the previous snapshot's
# unchanged files, so each snapshot costs only its new files and restoring an older dump still finds the files
# of bilagor deleted since. Media is copied before and after the dump: every file the dump names is in the
# snapshot (stored files are never changed in place, only added and removed). Snapshots beyond the newest
# BACKUP_KEEP (default 30) are removed. A snapshot is complete once its directory has no ".partial" suffix.
set -eu

backup_dir=${1:?"Ange mappen för säkerhetskopiorna, t.ex. scripts/backup.sh /backup"}
: "${DATABASE_URL:?DATABASE_URL måste vara satt}"
: "${MEDIA_ROOT:?MEDIA_ROOT måste vara satt}"
keep=${BACKUP_KEEP:-30}

mkdir -p "$backup_dir"
backup_dir=$(cd "$backup_dir" && pwd)
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
work="$backup_dir/$stamp.partial"
previous=$(find "$backup_dir" -mindepth 1 -maxdepth 1 -type d -name '20*Z' | sort | tail -n 1)

mkdir -p "$work/media"
link_dest=""
if [ -n "$previous" ] && [ -d "$previous/media" ]; then
    link_dest="--link-dest=$previous/media"
fi
# shellcheck disable=SC2086  # link_dest is one option or nothing
rsync -a $link_dest "$MEDIA_ROOT/" "$work/media/"
pg_dump --format=custom --file="$work/paragraf.dump" "$DATABASE_URL"
# shellcheck disable=SC2086
rsync -a $link_dest "$MEDIA_ROOT/" "$work/media/"  # files added while the dump ran
mv "$work" "$backup_dir/$stamp"

find "$backup_dir" -mindepth 1 -maxdepth 1 -type d -name '20*Z' | sort | head -n "-$keep" | while read -r old; do
    rm -rf "$old"
done
echo "$backup_dir/$stamp"
