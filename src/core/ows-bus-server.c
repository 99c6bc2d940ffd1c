/* ows-bus-server.c */
/* SPDX-License-Identifier: Apache-2.0 */
