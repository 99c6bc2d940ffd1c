/* ows-fuzz.h: the libFuzzer entry points that each fuzz target defines, and what they share.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

void ows_fuzz_init_logging (void);
