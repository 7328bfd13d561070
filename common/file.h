/*
 * Files written whole or not at all (DESIGN.md, State on disk): a
 * temporary file beside the real one, fsync, rename over it; with
 * FILE_SYNC_DIR the directory too, so that the rename survives a
 * crash.  What a restart must not lose (keys, names) uses it; files
 * that are only caches (netDb entries) may skip it.
 */
#ifndef I2PRD_FILE_H
#define I2PRD_FILE_H

#include <stddef.h>
#include <sys/types.h>

#define FILE_SYNC_DIR	0x1

/* 0, or -1 with errno; the temporary file "PATH.tmp" is removed */
int	 file_write_atomic(const char *path, const void *, size_t, mode_t,
	    int flags);

#endif /* I2PRD_FILE_H */
