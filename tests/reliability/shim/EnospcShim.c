/* A full disk on demand (RELIABILITY.md D4, D5), without root or a tmpfs: loaded with
 * LD_PRELOAD into a ripen-cli under test, it makes write, pwrite, writev, fsync and
 * fdatasync fail with ENOSPC on files whose path contains $RIPEN_ENOSPC_PATH, once
 * $RIPEN_ENOSPC_AFTER_BYTES bytes (default 0) have been written to such files. Every
 * refusal appends "<CLOCK_MONOTONIC ns> <path>" to $RIPEN_ENOSPC_LOG when set, so a test
 * can tell when the disk "filled up" and what was refused. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static atomic_llong g_budget = -1; /* -1: not read from the environment yet */

static ssize_t (*real_write(void))(int, const void*, size_t) {
    static ssize_t (*fn)(int, const void*, size_t);
    if (!fn) {
        fn = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
    }
    return fn;
}

static void note(const char* path) {
    const char* log = getenv("RIPEN_ENOSPC_LOG");
    if (!log) {
        return;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    char line[4200];
    const int n = snprintf(line, sizeof line, "%lld %s\n",
                           (long long)now.tv_sec * 1000000000LL + now.tv_nsec, path);
    const int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) {
        real_write()(fd, line, (size_t)n);
        close(fd);
    }
}

/* Nonzero (errno = ENOSPC) when a write of `bytes` to `fd` must fail. */
static int refuse(int fd, size_t bytes) {
    const char* pattern = getenv("RIPEN_ENOSPC_PATH");
    if (!pattern || !*pattern) {
        return 0;
    }
    char link[64];
    char path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) {
        return 0;
    }
    path[n] = '\0';
    if (!strstr(path, pattern)) {
        return 0;
    }
    long long budget = atomic_load(&g_budget);
    if (budget < 0) {
        const char* after = getenv("RIPEN_ENOSPC_AFTER_BYTES");
        long long initial = after ? atoll(after) : 0;
        atomic_compare_exchange_strong(&g_budget, &budget, initial);
        budget = atomic_load(&g_budget);
    }
    while (budget >= (long long)bytes && bytes > 0) {
        if (atomic_compare_exchange_weak(&g_budget, &budget, budget - (long long)bytes)) {
            return 0;
        }
    }
    if (bytes == 0 && budget > 0) {
        return 0; /* an fsync before the disk filled up */
    }
    atomic_store(&g_budget, 0);
    note(path);
    errno = ENOSPC;
    return 1;
}

#define NEXT(name, type) ((type)dlsym(RTLD_NEXT, name))

ssize_t write(int fd, const void* buf, size_t count) {
    if (refuse(fd, count)) {
        return -1;
    }
    return real_write()(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
    if (refuse(fd, count)) {
        return -1;
    }
    return NEXT("pwrite", ssize_t(*)(int, const void*, size_t, off_t))(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset) {
    if (refuse(fd, count)) {
        return -1;
    }
    return NEXT("pwrite64", ssize_t(*)(int, const void*, size_t, off64_t))(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
    size_t total = 0;
    for (int i = 0; i < iovcnt; ++i) {
        total += iov[i].iov_len;
    }
    if (refuse(fd, total)) {
        return -1;
    }
    return NEXT("writev", ssize_t(*)(int, const struct iovec*, int))(fd, iov, iovcnt);
}

int fsync(int fd) {
    if (refuse(fd, 0)) {
        return -1;
    }
    return NEXT("fsync", int (*)(int))(fd);
}

int fdatasync(int fd) {
    if (refuse(fd, 0)) {
        return -1;
    }
    return NEXT("fdatasync", int (*)(int))(fd);
}
