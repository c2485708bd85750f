/* SPDX-License-Identifier: MIT */
#pragma once

/* The `berth` CLI's verbs. Each takes the verb's own argv (argv[0] is the verb) and returns
 * the process exit status. berth.c only dispatches. */

int verb_verify(int argc, char **argv);   /* verify.c   (generator work) */
int verb_learn(int argc, char **argv);    /* learn.c    (least privilege by tracing) */
int verb_generate(int argc, char **argv); /* generate.c (generator work) */
int verb_run(int argc, char **argv);      /* run.c      (systemd work) */
int verb_list(int argc, char **argv);     /* list.c     (systemd work) */
int verb_caps(int argc, char **argv);     /* caps.c     (systemd work) */
int verb_exec(int argc, char **argv);     /* exec.c     (enter a running container) */
int verb_health(int argc, char **argv);   /* exec.c     (run its HealthCmd= once) */
int verb_apparmor(int argc, char **argv); /* apparmor.c (AppArmor work) */
