/*
 * Files written whole or not at all (DESIGN.md, State on disk): a
 * temporary file beside the real one, fsync, rename over it; with
 * FILE_SYNC_DIR the directory too, so that the rename survives a
 * crash.  What a restart must not lose (keys, names) uses it; files
 * that are only caches (netDb entries) may skip it, and with
 * FILE_NO_FSYNC the fsync of the file itself: a peer decides how often
 * those are written, and each fsync stalls the writer for as long as
 * the disk takes (audit #6).  After a crash such a file may be old or
 * damaged, never half of two versions; its reader must check it.
 */
#ifndef I2PRD_FILE_H
#define I2PRD_FILE_H

#include <stddef.h>
#include <sys/types.h>

#define FILE_SYNC_DIR	0x1
#define FILE_NO_FSYNC	0x2	/* caches only; not with FILE_SYNC_DIR */

/* 0, or -1 with errno; the temporary file "PATH.tmp" is removed */
int	 file_write_atomic(const char *path, const void *, size_t, mode_t,
	    int flags);

#endif /* I2PRD_FILE_H */
