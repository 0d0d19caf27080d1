/*
 * ProverLab benchmark reference: the per-slot work of ProverNetworkEnv (src/env/network.ts) in block
 * mode, written in plain C so `npm run bench` can say how far the TypeScript environment is from
 * compiled code doing the same algorithm. Built by bench/run.ts with `cc -O2`; not part of the product.
 *
 *   usage: slot <days> <tps> <reps> <seed> <count> [<count> ...]
 *   counts: provers per archetype, in the order of src/config/schema.ts DEFAULT_ARCHETYPES
 *           (home, professional, cloud, pool, operator); at most 5.
 *   prints one JSON line: best wall time of <reps> runs, ns per prover-slot, and checks
 *   (blocks, blocks proven, reorgs, busy share of compute) to hold against the TypeScript run.
 *
 * What it does, per slot (the same steps, in the same order, with the same data layout as the TS):
 *   - an L1 gas random walk (one normal draw) and the smoothed L1 cost;
 *   - independent outages: every prover keyed by its next failure time in a binary heap; a prover
 *     that fails goes down until a slot-rounded repair time, its task fails (stake slashed, job
 *     reassigned at once), and the provers down accumulate downtime each slot;
 *   - Poisson transaction arrivals into a mempool (a count);
 *   - waiting jobs retried, oldest first;
 *   - events in time order up to the slot's end: core-phase ends (provers keyed by their head task's
 *     finish in a heap; the task moves to landing after its critical path) and landings (a second
 *     heap, plus the landing list searched on removal as in queues.ts): pay the base reward and
 *     bonus-free counters, verify on L1, record the latency; each event retries the waiting jobs;
 *   - one block from the mempool (at most maxTxPerBlock transactions): work, proof-tree depth,
 *     deadline; dispatched: the deadline-aware candidate scan over every prover (eligible, up,
 *     queue below maxQueuePerProver, finishes by the deadline at its acceptQuantile speed; then the
 *     selective, race-only, opt-out and pool-identity tests, read for every candidate though the
 *     always-on provers never set them; the deadline test from now comes first, as in network.ts's
 *     scanCandidates), then the selection of src/mechanism/selection.ts: the
 *     top ceil(topFraction x candidates) by reputation
 *     through nth_element (the same three-way quickselect as nthElement.ts on negated reputations),
 *     ties at the cut broken by hashed draws, then one hashed uniform per pool member and the
 *     smallest wins (the hash is src/rng/hash.ts's lowbias32 chains, bit for bit); the task's
 *     proof-time noise is the same hashed lognormal; FIFO per-prover queue with exact start/finish;
 *     a job nobody can take waits; a block no idle prover could finish in time is split into the
 *     fewest parts (2, 4, ... 16) one could (distributed proving: idle-fit scans, parts dispatched
 *     as jobs, the block verified with its last part), else marked oversized;
 *   - deadline check when the earliest open deadline has passed: a scan of the job table, pruning
 *     (reorg) of the unproven chain from the oldest miss (tasks cancelled and charged, provers that
 *     missed slashed, transactions back to the mempool), then the next earliest deadline.
 * Per epoch (32 slots), every prover, as ProverNetworkEnv.step: the always-on policy's actions
 * written from the observation (agents kept, stake twice the minimum or all capital), checked against
 * their bounds (checkActions), the epoch counters zeroed, the actions applied (unbonding, registration,
 * arriving and provisioned agents, stake capped by free capital, capacity and opt-ins, withholding),
 * pooled sums and eligibility (with the grace rule's test), the load/online signals for the
 * pre-emptive trigger; at the close: stake, unbonding and agent capital costs, fixed cost (and the
 * identity fee, 0 here), the stabilization pool's participation points, reputation EMA of on-time
 * delivery and uptime, the signals again, profit and the accrual reward (deferred core cost),
 * counts; the epoch row's concentration KPIs (Nakamoto coefficient by sorting every prover's wins
 * and every stake, HHI of both), the epoch's latencies sorted, and the observation (19 features per
 * prover, agent cost and free capital included). A slot in which an eligible prover went down also
 * measures the signals over every prover (reassignFailed's failure-escalation test).
 *
 * What it leaves out (so it is a lower bound on the TS's work, not a replica):
 *   - the mechanism's bonuses (performance, stabilization, race compensation), emergency mode and
 *     proof races (the TS activates none in the bench's runs), batching and aggregation (the TS
 *     seals about 4,700 batches in 24,000 blocks over 10 days at 10 TPS: work per block, not per
 *     prover), withholding (parked tasks), aztec-current epoch shares, dynamic requirement scaling
 *     (the requirements stay at their base; the TS's stay there too at this steady demand),
 *     correlated outages, the demand regimes and daily cycle, transaction
 *     time-to-live and per-segment delay histograms, the ledger, the summary and the per-epoch row
 *     object (only its sorted statistics are computed), the streams' seedrandom generator (a
 *     splitmix64 stream instead, one draw where the TS makes one).
 *   - Failed tasks are reassigned inside the outage pass rather than after it (same work, other order).
 *   - It does not reproduce the TS's draws: the checks it prints are to agree in size, not to the byte.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ configuration (schema defaults) */

#define NARCH 5
static const double ARCH_COMPUTE[NARCH] = {512, 1024, 4096, 8192, 16384};
static const double ARCH_COST[NARCH] = {3.0e-5, 3.5e-5, 4.5e-5, 3.8e-5, 3.6e-5};
static const double ARCH_FIXED[NARCH] = {0.5, 2, 4, 6, 10};
static const double ARCH_CAPITAL[NARCH] = {25000, 200000, 1000000, 2000000, 5000000};
static const double ARCH_MTBF_H[NARCH] = {72, 240, 720, 480, 720};
static const double ARCH_MTTR_H[NARCH] = {4, 2, 1, 2, 1};
static const double ARCH_SIGMA[NARCH] = {0.3, 0.15, 0.1, 0.2, 0.1};
/* Added agents (schema defaults, every archetype): cores, price, lead time, life. */
static const double AGENT_CORES = 32, AGENT_CAPITAL = 6000, AGENT_LEAD_H = 24, AGENT_LIFE_Y = 3;
static const double UNBONDING_H = 168, IDENTITY_FEE = 0;

static const double SLOT_SECONDS = 36;
static const int SLOTS_PER_EPOCH = 32;
static const int PROOF_WINDOW_EPOCHS = 1;
static const int MAX_TX_PER_BLOCK = 360;
static const double BASE_WORK = 188000, WORK_PER_TX = 3100, CIRCUIT_SECONDS = 60;
static const int TX_LEVELS = 2, BLOCK_LEVELS = 1;
static const double ACCEPT_Z = 3.7190164854556804; /* normalQuantile(0.9999) */
static const double TOP_FRACTION = 0.25, REP_ALPHA = 0.1, UPTIME_WEIGHT = 0.3, SLASH_FRACTION = 0.05;
static const int MAX_QUEUE = 1;
static const double MIN_COMPUTE = 1024, MIN_STAKE = 10000;
static const double PRICE = 4e-5, MARGIN = 0.1, STAKE_COST_PER_YEAR = 0.05;
static const int MAX_PARTS = 16;
static const double PART_KEY = 68719476736.0; /* 2^36, as network.ts */
static const double VERIFY_GAS = 400000;
#define NF 19

/* ------------------------------------------------------------------ counter-based hash (src/rng/hash.ts) */

static inline uint32_t mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x21f0aaadu;
  x ^= x >> 15;
  x *= 0x735a2d97u;
  return x ^ (x >> 15);
}
static inline uint32_t hash32(uint32_t seed, uint32_t key, uint32_t index, uint32_t salt, uint32_t lane) {
  return mix32(seed ^ mix32(key ^ mix32(index ^ mix32(salt + lane))));
}
static inline double hash_uniform(uint32_t seed, uint32_t key, uint32_t index, uint32_t salt) {
  uint32_t hi = hash32(seed, key, index, salt, 0x9e3779b9u) >> 5;
  uint32_t lo = hash32(seed, key, index, salt, 0x7f4a7c15u) >> 6;
  return ((double)hi * 67108864.0 + (double)lo + 0.5) / 9007199254740992.0;
}
static inline double hash_normal(uint32_t seed, uint32_t key, uint32_t index, uint32_t salt) {
  double u1 = hash_uniform(seed, key, index, salt), u2 = hash_uniform(seed, key, index, salt + 1);
  return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}
#define SELECTION_SALT 0x5e1ec7u
#define TIE_SALT 0x71eu
#define NOISE_SALT 0x401u

/* ------------------------------------------------------------------ sequential stream (splitmix64) */

typedef struct { uint64_t s; } Stream;
static inline double st_uniform(Stream *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}
static inline double st_exponential(Stream *r, double mean) { return -log(st_uniform(r)) * mean; }
static inline double st_normal(Stream *r) {
  double u1 = st_uniform(r), u2 = st_uniform(r);
  return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}
static int st_poisson(Stream *r, double mean) {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    int k = 0;
    double p = exp(-mean), cdf = p, u = st_uniform(r);
    while (u > cdf) {
      k++;
      p *= mean / k;
      cdf += p;
      if (p < 1e-300) break;
    }
    return k;
  }
  double x = floor(mean + sqrt(mean) * st_normal(r) + 0.5);
  return x < 0 ? 0 : (int)x;
}

/* ------------------------------------------------------------------ id heap (src/env/heap.ts) */

typedef struct {
  int32_t *heap, *place;
  double *key;
  int size, cap;
} IdHeap;
static void heap_init(IdHeap *h, int cap) {
  h->heap = malloc(sizeof(int32_t) * cap);
  h->place = malloc(sizeof(int32_t) * cap);
  h->key = malloc(sizeof(double) * cap);
  for (int i = 0; i < cap; i++) h->place[i] = -1;
  h->size = 0;
  h->cap = cap;
}
static void heap_reserve(IdHeap *h, int n) {
  if (n <= h->cap) return;
  int cap = h->cap;
  while (cap < n) cap *= 2;
  h->heap = realloc(h->heap, sizeof(int32_t) * cap);
  h->place = realloc(h->place, sizeof(int32_t) * cap);
  h->key = realloc(h->key, sizeof(double) * cap);
  for (int i = h->cap; i < cap; i++) h->place[i] = -1;
  h->cap = cap;
}
static void heap_clear(IdHeap *h) {
  for (int k = 0; k < h->size; k++) h->place[h->heap[k]] = -1;
  h->size = 0;
}
static inline int before(const IdHeap *h, int a, int b) {
  double ka = h->key[a], kb = h->key[b];
  return ka < kb || (ka == kb && a < b);
}
static int heap_up(IdHeap *h, int k) {
  int id = h->heap[k];
  while (k > 0) {
    int parent = (k - 1) >> 1, p = h->heap[parent];
    if (!before(h, id, p)) break;
    h->heap[k] = p;
    h->place[p] = k;
    k = parent;
  }
  h->heap[k] = id;
  h->place[id] = k;
  return k;
}
static void heap_down(IdHeap *h, int k) {
  int id = h->heap[k];
  for (;;) {
    int child = 2 * k + 1;
    if (child >= h->size) break;
    if (child + 1 < h->size && before(h, h->heap[child + 1], h->heap[child])) child++;
    int c = h->heap[child];
    if (!before(h, c, id)) break;
    h->heap[k] = c;
    h->place[c] = k;
    k = child;
  }
  h->heap[k] = id;
  h->place[id] = k;
}
static void heap_set(IdHeap *h, int id, double t) {
  heap_reserve(h, id + 1);
  h->key[id] = t;
  int k = h->place[id];
  if (k < 0) {
    k = h->size++;
    h->heap[k] = id;
    h->place[id] = k;
  }
  heap_down(h, heap_up(h, k));
}
static void heap_remove(IdHeap *h, int id) {
  if (id >= h->cap || h->place[id] < 0) return;
  int k = h->place[id];
  h->place[id] = -1;
  int last = h->heap[--h->size];
  if (k == h->size) return;
  h->heap[k] = last;
  h->place[last] = k;
  heap_down(h, heap_up(h, k));
}
static inline int heap_peek(const IdHeap *h) { return h->size > 0 ? h->heap[0] : -1; }
static inline double heap_peek_key(const IdHeap *h) { return h->size > 0 ? h->key[h->heap[0]] : INFINITY; }

/* ------------------------------------------------------------------ nth_element (src/mechanism/nthElement.ts) */

static inline double median3(double a, double b, double c) {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
static inline void swap2(double *keys, int32_t *ids, int a, int b) {
  double k = keys[a];
  keys[a] = keys[b];
  keys[b] = k;
  if (ids) {
    int32_t id = ids[a];
    ids[a] = ids[b];
    ids[b] = id;
  }
}
/* nthElement.ts: ids carried along when not NULL */
static void nth_element(double *keys, int32_t *ids, int from, int to, int nth) {
  int lo = from, hi = to - 1;
  while (hi > lo) {
    double pivot = median3(keys[lo], keys[(lo + hi) >> 1], keys[hi]);
    int lt = lo, gt = hi, i = lo;
    while (i <= gt) {
      double v = keys[i];
      if (v < pivot) swap2(keys, ids, lt++, i++);
      else if (v > pivot) swap2(keys, ids, i, gt--);
      else i++;
    }
    if (nth < lt) hi = lt - 1;
    else if (nth > gt) lo = gt + 1;
    else return;
  }
}

/* nthElement.ts nthValue: the nth smallest, the keys alone moved */
static double nth_value(double *keys, int from, int to, int nth) {
  nth_element(keys, NULL, from, to, nth);
  return keys[nth];
}

/* An in-place ascending sort of doubles (introsort-like quicksort + insertion), as TypedArray.sort. */
static void sort_doubles(double *a, int n) {
  while (n > 16) {
    double pivot = median3(a[0], a[n / 2], a[n - 1]);
    int i = 0, j = n - 1;
    for (;;) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i >= j) break;
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
    /* Recurse into the smaller side, loop on the larger. */
    if (j + 1 < n - j - 1) {
      sort_doubles(a, j + 1);
      a += j + 1;
      n -= j + 1;
    } else {
      sort_doubles(a + j + 1, n - j - 1);
      n = j + 1;
    }
  }
  for (int k = 1; k < n; k++) {
    double v = a[k];
    int j = k - 1;
    for (; j >= 0 && a[j] > v; j--) a[j + 1] = a[j];
    a[j + 1] = v;
  }
}

/* stats.ts nakamoto: only the positive holdings sorted (the zeros come last and add nothing) */
static int nakamoto(const double *values, double *scratch, int n) {
  double total = 0;
  int m = 0;
  for (int i = 0; i < n; i++) {
    total += values[i];
    if (values[i] > 0) scratch[m++] = values[i];
  }
  if (total <= 0) return 0;
  sort_doubles(scratch, m);
  double acc = 0;
  for (int k = m - 1, count = 1; k >= 0; k--, count++) {
    acc += scratch[k];
    if (acc > total / 2) return count;
  }
  return n;
}
static double hhi(const double *values, int n) {
  double total = 0, h = 0;
  for (int i = 0; i < n; i++) total += values[i];
  if (total <= 0) return 0;
  for (int i = 0; i < n; i++) {
    double s = values[i] / total;
    h += s * s;
  }
  return h;
}

/* ------------------------------------------------------------------ state */

enum { J_FREE = 0, J_WAITING, J_ASSIGNED, J_SPLIT, J_PROVEN };
static inline int is_open(uint8_t s) { return s == J_WAITING || s == J_ASSIGNED || s == J_SPLIT; }
enum { T_QUEUED = 0, T_LANDING };

typedef struct {
  int n;
  /* provers */
  int *archetype;
  double *compute, *capacity, *cost, *fixedCost, *capital, *stake, *slashed, *mtbf, *mttr, *sigma, *acceptFactor;
  double *reputation, *onTimeRate, *downUntil, *nextFailAt, *freeAt, *epochDown, *epochBusy, *epochRewards, *epochCosts;
  double *epochSlashed, *epochWins, *epochOnTime, *epochFailures, *rewards, *costs, *reward, *stakeView, *statScratch;
  double *epochParticipation, *epochDeferredCost, *unbonding, *unbondAt, *extraAgents, *pendingAgents, *pendingAt;
  double *ownCompute, *agentCores, *agentCapital, *agentLead, *agentLife;
  uint8_t *everRegistered;
  int32_t *queueHead, *queueTail, *queueLen;
  uint8_t *registered, *eligible, *pooled, *raceOptIn, *batchOptIn, *skipUnprofitable, *raceOnly, *withholding;
  /* the candidate scan's view of the epoch (ProverTable.packScan): compute x capacity, and SCAN_* bits */
  double *scanCores;
  uint8_t *scanFlags;
  int32_t *parkedLen, poolSlot[NARCH];
  /* actions (the always-on policy's) */
  uint8_t *aActive, *aRace, *aBatch, *aSkip, *aPool, *aWithhold, *aRaceOnly;
  double *aCapacity, *aStake, *aAgents;
  double *observation;
  /* outages */
  IdHeap failures;
  int32_t *due, *down;
  uint8_t *isDown;
  int downCount, proverFailed;
  /* selection scratch */
  int32_t *candidates, *pool, *chosen;
  double *reps, *weights;
  /* jobs */
  int jcap, jcount, *jfree, jfreeN;
  uint8_t *jstate, *joversized;
  double *jcreated, *jdeadline, *jwork, *jdepth, *jtx;
  int64_t *jkey;
  int32_t *jtask, *jparent, *jpartsLeft;
  double *jworkDone;
  int32_t *waiting;
  int waitingN;
  /* tasks */
  int tcap, tcount, *tfree, tfreeN;
  int32_t *tjob, *tprover, *tnext;
  uint8_t *tstate;
  double *tassigned, *tstart, *tfinish, *tservice, *ttail, *tcores;
  IdHeap heads, landings;
  int32_t *landing;
  int landingN;
  /* network */
  Stream arrivals, outageStream, l1Stream;
  uint32_t selectionSeed, noiseSeed;
  double t, gasLog, l1Cost, mempool, outstandingWork, nextDeadlineCheck, latencies[4096];
  int latN;
  long blocksCreated;
  /* totals and checks */
  long blocks, proven, reorgs, oversized, splits, failures_;
  double usefulCoreS, wastedCoreS, txProven, checksum;
} Env;

#define ALLOC(p, n) ((p) = calloc((size_t)(n), sizeof(*(p))))

static void env_init(Env *e, const int *counts, int narch) {
  int n = 0;
  for (int k = 0; k < narch; k++) n += counts[k];
  e->n = n;
  ALLOC(e->scanCores, n); ALLOC(e->scanFlags, n);
  ALLOC(e->archetype, n); ALLOC(e->compute, n); ALLOC(e->capacity, n); ALLOC(e->cost, n); ALLOC(e->fixedCost, n);
  ALLOC(e->capital, n); ALLOC(e->stake, n); ALLOC(e->slashed, n); ALLOC(e->mtbf, n); ALLOC(e->mttr, n); ALLOC(e->sigma, n);
  ALLOC(e->acceptFactor, n); ALLOC(e->reputation, n); ALLOC(e->onTimeRate, n); ALLOC(e->downUntil, n); ALLOC(e->nextFailAt, n);
  ALLOC(e->freeAt, n); ALLOC(e->epochDown, n); ALLOC(e->epochBusy, n); ALLOC(e->epochRewards, n); ALLOC(e->epochCosts, n);
  ALLOC(e->epochSlashed, n); ALLOC(e->epochWins, n); ALLOC(e->epochOnTime, n); ALLOC(e->epochFailures, n); ALLOC(e->rewards, n);
  ALLOC(e->costs, n); ALLOC(e->reward, n); ALLOC(e->stakeView, n); ALLOC(e->statScratch, n);
  ALLOC(e->epochParticipation, n); ALLOC(e->epochDeferredCost, n); ALLOC(e->unbonding, n); ALLOC(e->unbondAt, n);
  ALLOC(e->extraAgents, n); ALLOC(e->pendingAgents, n); ALLOC(e->pendingAt, n); ALLOC(e->ownCompute, n);
  ALLOC(e->agentCores, n); ALLOC(e->agentCapital, n); ALLOC(e->agentLead, n); ALLOC(e->agentLife, n); ALLOC(e->everRegistered, n);
  ALLOC(e->queueHead, n); ALLOC(e->queueTail, n); ALLOC(e->queueLen, n);
  ALLOC(e->registered, n); ALLOC(e->eligible, n); ALLOC(e->pooled, n); ALLOC(e->raceOptIn, n); ALLOC(e->batchOptIn, n);
  ALLOC(e->skipUnprofitable, n); ALLOC(e->raceOnly, n); ALLOC(e->withholding, n); ALLOC(e->parkedLen, n);
  ALLOC(e->aActive, n); ALLOC(e->aRace, n); ALLOC(e->aBatch, n); ALLOC(e->aSkip, n); ALLOC(e->aPool, n); ALLOC(e->aWithhold, n);
  ALLOC(e->aRaceOnly, n); ALLOC(e->aCapacity, n); ALLOC(e->aStake, n); ALLOC(e->aAgents, n);
  ALLOC(e->observation, (size_t)n * NF);
  ALLOC(e->due, n); ALLOC(e->down, n); ALLOC(e->isDown, n);
  ALLOC(e->candidates, n); ALLOC(e->pool, n); ALLOC(e->chosen, n); ALLOC(e->reps, n); ALLOC(e->weights, n);
  heap_init(&e->failures, n > 16 ? n : 16);
  heap_init(&e->heads, n > 16 ? n : 16);
  heap_init(&e->landings, 64);
  e->jcap = 64;
  ALLOC(e->jfree, e->jcap); ALLOC(e->jstate, e->jcap); ALLOC(e->joversized, e->jcap); ALLOC(e->jcreated, e->jcap);
  ALLOC(e->jdeadline, e->jcap); ALLOC(e->jwork, e->jcap); ALLOC(e->jdepth, e->jcap); ALLOC(e->jtx, e->jcap); ALLOC(e->jkey, e->jcap);
  ALLOC(e->jtask, e->jcap); ALLOC(e->waiting, e->jcap); ALLOC(e->jparent, e->jcap); ALLOC(e->jpartsLeft, e->jcap);
  ALLOC(e->jworkDone, e->jcap);
  e->tcap = 64;
  ALLOC(e->tfree, e->tcap); ALLOC(e->tjob, e->tcap); ALLOC(e->tprover, e->tcap); ALLOC(e->tnext, e->tcap); ALLOC(e->tstate, e->tcap);
  ALLOC(e->tassigned, e->tcap); ALLOC(e->tstart, e->tcap); ALLOC(e->tfinish, e->tcap); ALLOC(e->tservice, e->tcap);
  ALLOC(e->ttail, e->tcap); ALLOC(e->tcores, e->tcap); ALLOC(e->landing, e->tcap);
  int i = 0;
  for (int k = 0; k < narch; k++) {
    for (int c = 0; c < counts[k]; c++, i++) {
      e->archetype[i] = k;
      e->compute[i] = ARCH_COMPUTE[k];
      e->ownCompute[i] = ARCH_COMPUTE[k];
      e->agentCores[i] = AGENT_CORES;
      e->agentCapital[i] = AGENT_CAPITAL;
      e->agentLead[i] = AGENT_LEAD_H * 3600;
      e->agentLife[i] = AGENT_LIFE_Y;
      e->cost[i] = ARCH_COST[k];
      e->fixedCost[i] = ARCH_FIXED[k];
      e->capital[i] = ARCH_CAPITAL[k];
      e->mtbf[i] = ARCH_MTBF_H[k] * 3600;
      e->mttr[i] = ARCH_MTTR_H[k] * 3600;
      e->sigma[i] = ARCH_SIGMA[k];
      e->acceptFactor[i] = exp(ACCEPT_Z * ARCH_SIGMA[k] - 0.5 * ARCH_SIGMA[k] * ARCH_SIGMA[k]);
    }
  }
}

#define GROW(p, cap) ((p) = realloc((p), sizeof(*(p)) * (size_t)(cap)))

static int job_alloc(Env *e) {
  if (e->jfreeN > 0) return e->jfree[--e->jfreeN];
  if (e->jcount == e->jcap) {
    int cap = e->jcap * 2;
    GROW(e->jfree, cap); GROW(e->jstate, cap); GROW(e->joversized, cap); GROW(e->jcreated, cap); GROW(e->jdeadline, cap);
    GROW(e->jwork, cap); GROW(e->jdepth, cap); GROW(e->jtx, cap); GROW(e->jkey, cap); GROW(e->jtask, cap); GROW(e->waiting, cap);
    GROW(e->jparent, cap); GROW(e->jpartsLeft, cap); GROW(e->jworkDone, cap);
    memset(e->jstate + e->jcap, 0, (size_t)(cap - e->jcap));
    e->jcap = cap;
  }
  return e->jcount++;
}
static void job_release(Env *e, int j) {
  e->jstate[j] = J_FREE;
  e->jfree[e->jfreeN++] = j;
}
static int task_alloc(Env *e) {
  if (e->tfreeN > 0) return e->tfree[--e->tfreeN];
  if (e->tcount == e->tcap) {
    int cap = e->tcap * 2;
    GROW(e->tfree, cap); GROW(e->tjob, cap); GROW(e->tprover, cap); GROW(e->tnext, cap); GROW(e->tstate, cap); GROW(e->tassigned, cap);
    GROW(e->tstart, cap); GROW(e->tfinish, cap); GROW(e->tservice, cap); GROW(e->ttail, cap); GROW(e->tcores, cap); GROW(e->landing, cap);
    e->tcap = cap;
  }
  return e->tcount++;
}
static void task_release(Env *e, int task) { e->tfree[e->tfreeN++] = task; }

static inline double online_compute(const Env *e, int i) { return e->compute[i] * e->capacity[i]; }
static inline double base_reward(double work, double l1) { return (work * PRICE + l1) * (1 + MARGIN); }
static inline double verify_cost(const Env *e) { return VERIFY_GAS * exp(e->gasLog) * 1e-9 * 3000; }

/* ------------------------------------------------------------------ queues (src/env/queues.ts) */

static void update_head(Env *e, int p) {
  if (e->queueLen[p] == 0) heap_remove(&e->heads, p);
  else heap_set(&e->heads, p, e->tfinish[e->queueHead[p]]);
}

static int enqueue(Env *e, int job, int p, double t, double service, double tail, double cores) {
  int id = task_alloc(e);
  e->tjob[id] = job;
  e->tprover[id] = p;
  e->tassigned[id] = t;
  e->tcores[id] = cores;
  e->tservice[id] = service;
  e->ttail[id] = tail;
  e->tstate[id] = T_QUEUED;
  e->tnext[id] = -1;
  double start = e->queueLen[p] > 0 && e->freeAt[p] > t ? e->freeAt[p] : t;
  e->tstart[id] = start;
  e->tfinish[id] = start + service;
  e->freeAt[p] = e->tfinish[id];
  if (e->queueLen[p] == 0) {
    e->queueHead[p] = id;
    heap_set(&e->heads, p, e->tfinish[id]);
  } else e->tnext[e->queueTail[p]] = id;
  e->queueTail[p] = id;
  e->queueLen[p]++;
  e->jtask[job] = id;
  return id;
}

static void remove_landing(Env *e, int task) {
  int k = 0;
  while (e->landing[k] != task) k++;
  e->landing[k] = e->landing[--e->landingN];
  heap_remove(&e->landings, task);
}

/* Removes a task at t; returns the core seconds it ran (not yet charged). */
static double cancel_task(Env *e, int task, double t) {
  int p = e->tprover[task];
  int job = e->tjob[task];
  e->jtask[job] = -1;
  if (e->tstate[task] == T_LANDING) {
    remove_landing(e, task);
    task_release(e, task);
    return 0;
  }
  double ran = e->tstart[task] < t ? fmin(t, e->tfinish[task]) - e->tstart[task] : 0;
  int cur = e->queueHead[p], prev = -1;
  while (cur != task) {
    prev = cur;
    cur = e->tnext[cur];
  }
  if (prev < 0) e->queueHead[p] = e->tnext[task];
  else e->tnext[prev] = e->tnext[task];
  if (e->queueTail[p] == task) e->queueTail[p] = prev;
  e->queueLen[p]--;
  if (ran > 0) {
    double c = e->cost[p] * e->tcores[task] * ran;
    e->costs[p] += c;
    e->epochCosts[p] += c;
    e->epochBusy[p] += ran;
  }
  task_release(e, task);
  /* rechain */
  double prevFinish = t;
  cur = e->queueHead[p];
  for (int k = 0; k < e->queueLen[p]; k++, cur = e->tnext[cur]) {
    if (e->tstart[cur] < t) {
      prevFinish = e->tfinish[cur];
      continue;
    }
    e->tstart[cur] = fmax(e->tassigned[cur], prevFinish);
    e->tfinish[cur] = e->tstart[cur] + e->tservice[cur];
    prevFinish = e->tfinish[cur];
  }
  e->freeAt[p] = prevFinish;
  update_head(e, p);
  return ran;
}

/* ------------------------------------------------------------------ selection (src/mechanism/selection.ts) */

static void draw_uniforms(const int32_t *ids, int from, int to, uint32_t seed, uint32_t key, uint32_t salt, double *out) {
  for (int i = from; i < to; i++) out[i] = hash_uniform(seed, key, (uint32_t)ids[i], salt);
}

static int select_provers(Env *e, int m, int width, uint32_t key) {
  if (m == 0) return 0;
  int k = (int)ceil(TOP_FRACTION * m);
  if (k < width) k = width;
  if (k < 1) k = 1;
  int32_t *pool = e->pool;
  double *w = e->weights;
  int size = 0;
  if (k >= m) {
    for (int i = 0; i < m; i++) pool[size++] = e->candidates[i];
  } else {
    for (int i = 0; i < m; i++) e->reps[i] = -e->reputation[e->candidates[i]];
    double cut = -nth_value(e->reps, 0, m, k - 1);
    for (int i = 0; i < m; i++) {
      int c = e->candidates[i];
      if (e->reputation[c] > cut) pool[size++] = c;
    }
    int ties = size;
    for (int i = 0; i < m; i++) {
      int c = e->candidates[i];
      if (e->reputation[c] == cut) pool[size++] = c;
    }
    draw_uniforms(pool, ties, size, e->selectionSeed, key, TIE_SALT, w);
    nth_element(w, pool, ties, size, k - 1);
    size = k;
  }
  int chosen = width < size ? width : size;
  draw_uniforms(pool, 0, size, e->selectionSeed, key, SELECTION_SALT, w);
  for (int j = 0; j < chosen; j++) {
    int best = 0;
    for (int i = 1; i < size; i++)
      if (w[i] < w[best]) best = i;
    e->chosen[j] = pool[best];
    size--;
    pool[best] = pool[size];
    w[best] = w[size];
  }
  return chosen;
}

/* ------------------------------------------------------------------ assignment */

static inline int finishes_by(const Env *e, int i, double start, double work, double depth, double deadline) {
  double cores = online_compute(e, i);
  return cores > 0 && start + (work / cores + depth) * e->acceptFactor[i] <= deadline;
}

/* Whether the job's base reward covers prover i's compute and L1 verification (a selective prover's test). */
static int pays(const Env *e, int i, int job) {
  double share = e->jparent[job] >= 0 ? e->jwork[job] / e->jwork[e->jparent[job]] : 1;
  double reward = base_reward(e->jwork[job], 0) + share * base_reward(0, e->l1Cost);
  return reward >= e->jwork[job] * e->cost[i] + share * verify_cost(e);
}

enum { SCAN_ELIGIBLE = 1, SCAN_SKIP = 2, SCAN_RACE_ONLY = 4, SCAN_RACE_OPT_IN = 8, SCAN_BATCH_OPT_IN = 16, SCAN_POOLED = 32 };

/* ProverTable.packScan: after eligibility, what the scan reads of each prover in two columns. */
static void pack_scan(Env *e) {
  for (int i = 0; i < e->n; i++) {
    e->scanCores[i] = online_compute(e, i);
    e->scanFlags[i] = (uint8_t)((e->eligible[i] ? SCAN_ELIGIBLE : 0) | (e->skipUnprofitable[i] ? SCAN_SKIP : 0) |
                                (e->raceOnly[i] ? SCAN_RACE_ONLY : 0) | (e->raceOptIn[i] ? SCAN_RACE_OPT_IN : 0) |
                                (e->batchOptIn[i] ? SCAN_BATCH_OPT_IN : 0) | (e->pooled[i] ? SCAN_POOLED : 0));
  }
}

static int try_assign(Env *e, int job, double t) {
  int m = 0, optedOut = 0, n = e->n;
  const int racing = 0, batched = 0; /* no emergency mode, no batching here */
  double work = e->jwork[job], depth = e->jdepth[job], deadline = e->jdeadline[job];
  const int excluded = racing ? 0 : SCAN_RACE_ONLY;
  const int needed = (racing ? SCAN_RACE_OPT_IN : 0) | (batched ? SCAN_BATCH_OPT_IN : 0);
  for (int k = 0; k < NARCH; k++) e->poolSlot[k] = -1;
  for (int i = 0; i < n; i++) {
    /* the epoch's standing first, then the deadline test from t (as network.ts scanCandidates: a
       prover that cannot finish starting now cannot starting later), then from the queue's end for a
       busy prover */
    int flags = e->scanFlags[i];
    if ((flags & (SCAN_ELIGIBLE | excluded)) != SCAN_ELIGIBLE) continue;
    double cores = e->scanCores[i];
    double busy = (work / cores + depth) * e->acceptFactor[i];
    if (!(cores > 0 && t + busy <= deadline) || e->downUntil[i] > t) continue;
    int held = e->queueLen[i] + e->parkedLen[i];
    if (held >= MAX_QUEUE) continue;
    if (e->queueLen[i] > 0 && e->freeAt[i] > t && !(e->freeAt[i] + busy <= deadline)) continue;
    if ((flags & SCAN_SKIP) && !pays(e, i, job)) continue;
    if ((flags & needed) != needed) e->candidates[n - 1 - optedOut++] = i;
    else if (flags & SCAN_POOLED) {
      /* a pool is one identity: its member holding the least work stands for it */
      int k = e->archetype[i], slot = e->poolSlot[k];
      if (slot < 0) {
        e->poolSlot[k] = m;
        e->candidates[m++] = i;
      } else if (held < e->queueLen[e->candidates[slot]] + e->parkedLen[e->candidates[slot]]) e->candidates[slot] = i;
    } else e->candidates[m++] = i;
  }
  if (m == 0) {
    /* the opted-out, last found first at the end: reversed there, then moved to the front (the ranges
       overlap once more than half the provers opted out) */
    for (int a = n - optedOut, b = n - 1; a < b; a++, b--) {
      int id = e->candidates[a];
      e->candidates[a] = e->candidates[b];
      e->candidates[b] = id;
    }
    for (int k = 0; k < optedOut; k++) e->candidates[m++] = e->candidates[n - optedOut + k];
  }
  n = select_provers(e, m, 1, (uint32_t)e->jkey[job]);
  if (n == 0) return 0;
  e->jstate[job] = J_ASSIGNED;
  for (int k = 0; k < n; k++) {
    int p = e->chosen[k];
    double cores = online_compute(e, p);
    double sigma = e->sigma[p];
    double noise = sigma == 0 ? 1 : exp(sigma * hash_normal(e->noiseSeed, (uint32_t)e->jkey[job], (uint32_t)p, NOISE_SALT) - 0.5 * sigma * sigma);
    enqueue(e, job, p, t, work / cores * noise, depth * noise, cores);
  }
  return 1;
}

static int idle_fit(const Env *e, double work, double depth, double deadline, double t) {
  int online = -1;
  for (int i = 0; i < e->n; i++) {
    if (!e->eligible[i] || e->downUntil[i] > t || online_compute(e, i) <= 0) continue;
    online = 0;
    if (finishes_by(e, i, t, work, depth, deadline)) return 1;
  }
  return online;
}

static void dispatch(Env *e, int job, double t);

/* Distributed proving: the fewest parts (2, 4, ... 16) of which some idle prover could finish one. */
static int split(Env *e, int job, double t) {
  int k = 2;
  while (k <= MAX_PARTS && idle_fit(e, e->jwork[job] / k, e->jdepth[job], e->jdeadline[job], t) != 1) k *= 2;
  if (k > MAX_PARTS) return 0;
  e->jstate[job] = J_SPLIT;
  e->jpartsLeft[job] = k;
  e->jworkDone[job] = 0;
  e->splits++;
  for (int part = 0; part < k; part++) {
    int c = job_alloc(e);
    e->jparent[c] = job;
    e->jcreated[c] = e->jcreated[job];
    e->jkey[c] = e->jkey[job] + (int64_t)((part + 1) * PART_KEY);
    e->jdeadline[c] = e->jdeadline[job];
    e->jtx[c] = 0;
    e->jwork[c] = e->jwork[job] / k;
    e->jdepth[c] = e->jdepth[job];
    e->jtask[c] = -1;
    e->joversized[c] = 0;
    dispatch(e, c, t);
  }
  return 1;
}

static void dispatch(Env *e, int job, double t) {
  if (try_assign(e, job, t)) return;
  if (e->jparent[job] < 0 && !e->joversized[job] && idle_fit(e, e->jwork[job], e->jdepth[job], e->jdeadline[job], t) == 0) {
    if (split(e, job, t)) return;
    e->joversized[job] = 1;
    e->oversized++;
  }
  e->jstate[job] = J_WAITING;
  e->waiting[e->waitingN++] = job;
}

static void assign_waiting(Env *e, double t) {
  int kept = 0;
  for (int k = 0; k < e->waitingN; k++) {
    int job = e->waiting[k];
    if (e->jstate[job] != J_WAITING) continue;
    if (!try_assign(e, job, t)) e->waiting[kept++] = job;
  }
  e->waitingN = kept;
}

/* ------------------------------------------------------------------ proofs */

static void slash(Env *e, int p) {
  double amount = SLASH_FRACTION * e->stake[p];
  if (amount <= 0) return;
  e->stake[p] -= amount;
  e->slashed[p] += amount;
  e->epochSlashed[p] += amount;
}

static void end_core_phase(Env *e, int p) {
  int task = e->queueHead[p];
  e->queueHead[p] = e->tnext[task];
  e->queueLen[p]--;
  if (e->queueLen[p] == 0) e->queueTail[p] = -1;
  update_head(e, p);
  e->tstate[task] = T_LANDING;
  e->tfinish[task] += e->ttail[task];
  e->landing[e->landingN++] = task;
  heap_set(&e->landings, task, e->tfinish[task]);
  double c = e->cost[p] * e->tcores[task] * e->tservice[task];
  e->costs[p] += c;
  e->epochCosts[p] += c;
  e->epochDeferredCost[p] += c;
  e->epochBusy[p] += e->tservice[task];
}

static void land(Env *e, int task, double t) {
  int p = e->tprover[task], job = e->tjob[task];
  e->epochDeferredCost[p] -= e->cost[p] * e->tcores[task] * e->tservice[task];
  remove_landing(e, task);
  e->jtask[job] = -1;
  double coreSeconds = e->tcores[task] * e->tservice[task];
  task_release(e, task);
  e->usefulCoreS += coreSeconds;
  int parent = e->jparent[job];
  double v = verify_cost(e);
  if (parent < 0) {
    e->costs[p] += v;
    e->epochCosts[p] += v;
  }
  double base = base_reward(e->jwork[job], parent < 0 ? e->l1Cost : 0);
  e->outstandingWork -= e->jwork[job];
  e->epochWins[p]++;
  e->epochOnTime[p]++;
  e->rewards[p] += base;
  e->epochRewards[p] += base;
  if (parent >= 0) {
    /* a part: with the last one the block is proven, its prover merges and verifies */
    e->jworkDone[parent] += e->jwork[job];
    job_release(e, job);
    if (--e->jpartsLeft[parent] > 0) return;
    double agg = base_reward(0, e->l1Cost);
    e->costs[p] += v;
    e->epochCosts[p] += v;
    e->rewards[p] += agg;
    e->epochRewards[p] += agg;
    job = parent;
  }
  /* verify on L1 */
  e->jstate[job] = J_PROVEN;
  e->txProven += e->jtx[job];
  e->proven++;
  if (e->latN < 4096) e->latencies[e->latN++] = t - e->jcreated[job];
  job_release(e, job);
}

static void run_events(Env *e, double t1) {
  for (;;) {
    int pc = heap_peek(&e->heads);
    double tc = heap_peek_key(&e->heads);
    int landing = heap_peek(&e->landings);
    double tl = landing >= 0 ? e->tfinish[landing] : INFINITY;
    double first = tc < tl ? tc : tl;
    if (first > t1) return;
    if (tc == first) {
      end_core_phase(e, pc);
      if (e->waitingN > 0) assign_waiting(e, tc);
    } else {
      land(e, landing, tl);
      if (e->waitingN > 0) assign_waiting(e, tl);
    }
  }
}

/* ------------------------------------------------------------------ outages (src/env/outages.ts, independent only) */

static double ceil_to_slot(double t) { return ceil(t / SLOT_SECONDS - 1e-9) * SLOT_SECONDS; }

static double measure_signals(Env *e);

static void take_down(Env *e, int p, double t, double until) {
  if (e->eligible[p]) e->proverFailed = 1;
  if (e->downUntil[p] < until) e->downUntil[p] = until;
  while (e->queueLen[p] > 0) {
    int task = e->queueHead[p], job = e->tjob[task];
    double ran = e->tstart[task] < t ? t - e->tstart[task] : 0;
    e->wastedCoreS += e->tcores[task] * ran;
    cancel_task(e, task, t);
    e->epochFailures[p]++;
    e->failures_++;
    slash(e, p);
    dispatch(e, job, t);
  }
  for (int k = e->landingN - 1; k >= 0; k--) {
    int task = e->landing[k];
    if (e->tprover[task] != p) continue;
    int job = e->tjob[task];
    e->wastedCoreS += e->tcores[task] * e->tservice[task];
    cancel_task(e, task, t);
    e->epochFailures[p]++;
    e->failures_++;
    slash(e, p);
    dispatch(e, job, t);
  }
  if (!e->isDown[p]) {
    e->isDown[p] = 1;
    e->down[e->downCount++] = p;
  }
}

static void apply_outages(Env *e, double t0, double t1) {
  int due = 0;
  while (e->failures.size > 0 && heap_peek_key(&e->failures) < t1) {
    int i = heap_peek(&e->failures);
    heap_remove(&e->failures, i);
    e->due[due++] = i;
  }
  for (int k = 1; k < due; k++) {
    int i = e->due[k], j = k - 1;
    for (; j >= 0 && e->due[j] > i; j--) e->due[j + 1] = e->due[j];
    e->due[j + 1] = i;
  }
  for (int k = 0; k < due; k++) {
    int i = e->due[k];
    if (e->downUntil[i] <= t0) {
      take_down(e, i, t0, ceil_to_slot(t0 + st_exponential(&e->outageStream, e->mttr[i])));
      e->nextFailAt[i] = e->downUntil[i] + st_exponential(&e->outageStream, e->mtbf[i]);
    }
    heap_set(&e->failures, i, e->nextFailAt[i]);
  }
  /* reassignFailed: an eligible prover went down, so the load and online signals are measured (the
     failure-escalation test of the proposal; it never escalates in these runs) */
  if (e->proverFailed) {
    e->proverFailed = 0;
    e->checksum += measure_signals(e) * 1e-12;
  }
  for (int k = e->downCount - 1; k >= 0; k--) {
    int i = e->down[k];
    double d = fmin(t1, e->downUntil[i]) - t0;
    if (d > 0) e->epochDown[i] += d;
    if (e->downUntil[i] <= t1) {
      e->isDown[i] = 0;
      e->down[k] = e->down[--e->downCount];
    }
  }
}

/* ------------------------------------------------------------------ deadlines */

static void check_deadlines(Env *e, double t) {
  double oldestMiss = INFINITY;
  for (int id = 0; id < e->jcount; id++) {
    if (is_open(e->jstate[id]) && e->jdeadline[id] <= t && e->jcreated[id] < oldestMiss) oldestMiss = e->jcreated[id];
  }
  if (oldestMiss < INFINITY) {
    e->reorgs++;
    for (int id = 0; id < e->jcount; id++) {
      if (!is_open(e->jstate[id]) || e->jcreated[id] < oldestMiss) continue;
      int missed = e->jdeadline[id] <= t;
      if (e->jparent[id] < 0) e->mempool += e->jtx[id];
      if (e->jstate[id] == J_SPLIT) e->wastedCoreS += e->jworkDone[id];
      else e->outstandingWork -= e->jwork[id];
      int task = e->jtask[id];
      if (task >= 0) {
        int p = e->tprover[task];
        e->wastedCoreS += e->tcores[task] * (e->tstate[task] == T_LANDING ? e->tservice[task] : e->tstart[task] < t ? t - e->tstart[task] : 0);
        cancel_task(e, task, t);
        if (missed) {
          e->epochFailures[p]++;
          slash(e, p);
        }
      }
      job_release(e, id);
    }
    int kept = 0;
    for (int k = 0; k < e->waitingN; k++)
      if (e->jstate[e->waiting[k]] == J_WAITING) e->waiting[kept++] = e->waiting[k];
    e->waitingN = kept;
  }
  double next = INFINITY;
  for (int id = 0; id < e->jcount; id++) {
    if (is_open(e->jstate[id]) && e->jdeadline[id] < next) next = e->jdeadline[id];
  }
  e->nextDeadlineCheck = next;
}

/* ------------------------------------------------------------------ the slot */

static void produce_block(Env *e, double t) {
  double tx = e->mempool < MAX_TX_PER_BLOCK ? e->mempool : MAX_TX_PER_BLOCK;
  e->mempool -= tx;
  int id = job_alloc(e);
  double epochSec = SLOT_SECONDS * SLOTS_PER_EPOCH;
  double epochOfJob = floor(t / epochSec - 1e-9);
  e->jstate[id] = J_WAITING;
  e->joversized[id] = 0;
  e->jcreated[id] = t;
  e->jkey[id] = e->blocksCreated++;
  e->jdeadline[id] = (epochOfJob + 1 + PROOF_WINDOW_EPOCHS) * epochSec;
  e->jtx[id] = tx;
  e->jwork[id] = BASE_WORK + WORK_PER_TX * tx;
  e->jdepth[id] = (TX_LEVELS + ceil(log2(tx > 1 ? tx : 1)) + BLOCK_LEVELS) * CIRCUIT_SECONDS;
  e->jtask[id] = -1;
  e->jparent[id] = -1;
  e->outstandingWork += e->jwork[id];
  e->blocks++;
  if (e->jdeadline[id] < e->nextDeadlineCheck) e->nextDeadlineCheck = e->jdeadline[id];
  dispatch(e, id, t);
}

static void run_slot(Env *e, double tps) {
  double t0 = e->t, t1 = t0 + SLOT_SECONDS;
  e->gasLog += 0.02 * st_normal(&e->l1Stream) - 0.001 * e->gasLog;
  e->l1Cost += (verify_cost(e) - e->l1Cost) * (1 - exp(-SLOT_SECONDS / 3600));
  apply_outages(e, t0, t1);
  e->mempool += st_poisson(&e->arrivals, tps * SLOT_SECONDS);
  if (e->waitingN > 0) assign_waiting(e, t0);
  run_events(e, t1);
  produce_block(e, t1);
  e->t = t1;
  if (t1 >= e->nextDeadlineCheck) check_deadlines(e, t1);
}

/* ------------------------------------------------------------------ epochs */

static double free_capital(const Env *e, int i) {
  return fmax(0, e->capital[i] - e->slashed[i] - (e->extraAgents[i] + e->pendingAgents[i]) * e->agentCapital[i]);
}
static void set_extra_agents(Env *e, int i, double agents) {
  e->extraAgents[i] = agents;
  e->compute[i] = fmax(0, e->ownCompute[i] + agents * e->agentCores[i]);
}

/* The load and online signals (measureSignals: at the epoch's start, for the pre-emptive trigger, and at its close). */
static double measure_signals(Env *e) {
  double compute = 0;
  int eligible = 0, online = 0;
  for (int i = 0; i < e->n; i++) {
    if (!e->eligible[i]) continue;
    eligible++;
    if (e->downUntil[i] > e->t) continue;
    online++;
    compute += online_compute(e, i);
  }
  double epochSec = SLOT_SECONDS * SLOTS_PER_EPOCH;
  double load = compute > 0 ? (e->outstandingWork + e->mempool * WORK_PER_TX) / (compute * epochSec) : INFINITY;
  return load + (eligible > 0 ? (double)online / eligible : 0);
}

/* provision(): agents towards the target (the always-on policy keeps what it holds). */
static void provision(Env *e, int i, double target) {
  double held = e->extraAgents[i] + e->pendingAgents[i];
  if (target < held) {
    double cancel = fmin(e->pendingAgents[i], held - target);
    e->pendingAgents[i] -= cancel;
    if (held - cancel > target) set_extra_agents(e, i, target - e->pendingAgents[i]);
    return;
  }
  double price = e->agentCapital[i];
  double affordable = price > 0 ? floor((free_capital(e, i) - e->stake[i]) / price) : INFINITY;
  double order = fmin(target - held, fmax(0, affordable));
  if (order <= 0) return;
  if (e->agentLead[i] == 0) {
    set_extra_agents(e, i, e->extraAgents[i] + order);
    return;
  }
  e->pendingAgents[i] += order;
  e->pendingAt[i] = e->t + e->agentLead[i];
}

static int bad_flag(const uint8_t *v, int n) {
  for (int i = 0; i < n; i++)
    if (v[i] > 1) return 1;
  return 0;
}

static void epoch_start(Env *e) {
  int n = e->n;
  /* the always-on policy reads the observation: full service for everyone (agents/prover/actionTable.ts applyChoice) */
  for (int i = 0; i < n; i++) {
    const double *o = e->observation + (size_t)i * NF;
    e->aActive[i] = 1;
    e->aCapacity[i] = 1;
    e->aRace[i] = 1;
    e->aBatch[i] = 1;
    e->aSkip[i] = 0;
    e->aWithhold[i] = 0;
    e->aRaceOnly[i] = 0;
    e->aPool[i] = 0;
    e->aAgents[i] = o[13] + o[14];
    e->aStake[i] = fmin(o[5], 2 * MIN_STAKE);
  }
  /* checkActions: every field of every prover within its bounds */
  int bad = bad_flag(e->aActive, n) | bad_flag(e->aRace, n) | bad_flag(e->aBatch, n) | bad_flag(e->aSkip, n) | bad_flag(e->aPool, n) |
            bad_flag(e->aWithhold, n) | bad_flag(e->aRaceOnly, n);
  for (int i = 0; i < n; i++) bad |= !(e->aCapacity[i] >= 0 && e->aCapacity[i] <= 1);
  for (int i = 0; i < n; i++) bad |= !(e->aStake[i] >= 0 && e->aStake[i] < INFINITY);
  for (int i = 0; i < n; i++) bad |= !(e->aAgents[i] >= 0 && e->aAgents[i] < INFINITY && e->aAgents[i] == floor(e->aAgents[i]));
  if (bad) {
    fprintf(stderr, "bad action\n");
    exit(1);
  }
  /* the epoch's counters */
  for (int i = 0; i < n; i++) {
    e->epochDown[i] = e->epochBusy[i] = e->epochRewards[i] = e->epochCosts[i] = e->epochSlashed[i] = 0;
    e->epochWins[i] = e->epochOnTime[i] = e->epochFailures[i] = e->epochParticipation[i] = e->epochDeferredCost[i] = 0;
  }
  /* applyActions */
  for (int i = 0; i < n; i++) {
    if (e->unbonding[i] > 0 && e->t >= e->unbondAt[i]) e->unbonding[i] = 0;
    if (e->aActive[i] && !e->registered[i]) {
      e->registered[i] = 1;
      e->unbonding[i] = 0;
    } else if (!e->aActive[i] && e->registered[i]) {
      e->registered[i] = 0;
      e->unbonding[i] += e->stake[i];
      e->unbondAt[i] = e->t + UNBONDING_H * 3600;
      e->stake[i] = 0;
    }
    if (e->pendingAgents[i] > 0 && e->t >= e->pendingAt[i]) {
      set_extra_agents(e, i, e->extraAgents[i] + e->pendingAgents[i]);
      e->pendingAgents[i] = 0;
    }
    provision(e, i, e->aAgents[i]);
    if (e->registered[i]) {
      e->stake[i] = fmin(e->aStake[i], free_capital(e, i));
      e->capacity[i] = e->aCapacity[i];
      e->raceOptIn[i] = e->aRace[i];
      e->batchOptIn[i] = e->aBatch[i];
      e->skipUnprofitable[i] = e->aSkip[i];
      e->raceOnly[i] = e->aRaceOnly[i];
      e->pooled[i] = e->aPool[i];
    }
    e->withholding[i] = e->registered[i] && e->aWithhold[i];
  }
  /* refreshEligibility: pooled sums, then each prover against the requirements (and the grace rule) */
  double poolCompute[NARCH] = {0}, poolStake[NARCH] = {0};
  for (int i = 0; i < n; i++) {
    if (!e->registered[i] || !e->pooled[i]) continue;
    poolCompute[e->archetype[i]] += online_compute(e, i);
    poolStake[e->archetype[i]] += e->stake[i];
  }
  for (int i = 0; i < n; i++) {
    int k = e->archetype[i];
    double compute = e->pooled[i] ? poolCompute[k] : online_compute(e, i);
    double stake = e->pooled[i] ? poolStake[k] : e->stake[i];
    int ok = (compute >= MIN_COMPUTE && stake >= MIN_STAKE) || (e->eligible[i] && compute >= MIN_COMPUTE && stake >= MIN_STAKE);
    e->eligible[i] = e->registered[i] && e->capacity[i] > 0 && ok;
  }
  pack_scan(e);
  /* the pre-emptive trigger's signals */
  e->checksum += measure_signals(e) * 1e-12;
  e->latN = 0;
}

/* writeObservation: every prover's 19 features, and the network's profit per active core */
static double write_observation(Env *e) {
  int n = e->n;
  double years = SLOT_SECONDS * SLOTS_PER_EPOCH / (365 * 24 * 3600.0);
  double activeCompute = 0, activeProfit = 0;
  int activeN = 0;
  for (int i = 0; i < n; i++) {
    double *o = e->observation + (size_t)i * NF;
    o[0] = e->registered[i];
    o[1] = e->eligible[i];
    o[2] = e->compute[i];
    o[3] = e->capacity[i];
    o[4] = e->stake[i];
    o[5] = fmax(0, e->capital[i] - e->slashed[i]);
    o[6] = e->reputation[i];
    o[7] = e->onTimeRate[i];
    o[8] = e->reward[i];
    o[9] = e->epochRewards[i];
    o[10] = e->queueLen[i] + e->parkedLen[i];
    o[11] = e->cost[i];
    o[12] = e->fixedCost[i];
    o[13] = e->extraAgents[i];
    o[14] = e->pendingAgents[i];
    o[15] = e->agentCores[i];
    o[16] = e->agentCapital[i] * (1 / e->agentLife[i] + STAKE_COST_PER_YEAR) * years;
    o[17] = free_capital(e, i);
    o[18] = e->pooled[i];
    if (e->registered[i]) {
      activeN++;
      activeCompute += online_compute(e, i);
      activeProfit += e->reward[i];
    }
  }
  return (activeCompute > 0 ? activeProfit / activeCompute : 0) + activeN;
}

static void epoch_end(Env *e) {
  int n = e->n;
  double epochSec = SLOT_SECONDS * SLOTS_PER_EPOCH, years = epochSec / (365 * 24 * 3600.0);
  /* chargeEpochCosts: stake and unbonding stake, added agents' capital, fixed cost and identity fee */
  for (int i = 0; i < n; i++) {
    double cost = (e->stake[i] + e->unbonding[i]) * STAKE_COST_PER_YEAR * years;
    cost += (e->extraAgents[i] + e->pendingAgents[i]) * e->agentCapital[i] * (1 / e->agentLife[i] + STAKE_COST_PER_YEAR) * years;
    if (e->registered[i]) {
      cost += e->fixedCost[i];
      if (IDENTITY_FEE > 0) {
        e->costs[i] += IDENTITY_FEE;
        e->epochCosts[i] += IDENTITY_FEE;
      }
    }
    e->costs[i] += cost;
    e->epochCosts[i] += cost;
  }
  /* payStabilizationPool: the participation points (no pool is paid in these runs) */
  double points = 0;
  for (int i = 0; i < n; i++) points += e->epochParticipation[i];
  for (int i = 0; i < n; i++) {
    double uptime = 1 - fmin(1, e->epochDown[i] / epochSec);
    double resolved = e->epochOnTime[i] + e->epochFailures[i];
    double onTime = resolved > 0 ? e->epochOnTime[i] / resolved : e->onTimeRate[i];
    if (resolved > 0) e->onTimeRate[i] += REP_ALPHA * (onTime - e->onTimeRate[i]);
    double score = (1 - UPTIME_WEIGHT) * onTime + UPTIME_WEIGHT * uptime;
    e->reputation[i] += REP_ALPHA * (score - e->reputation[i]);
  }
  /* considerEmergencyExit's signals */
  double signals = measure_signals(e);
  /* settleEpoch: profit, the step reward (accrual), counts */
  double profitSum = 0, costSum = 0, addedAgents = 0;
  int active = 0, profitable = 0, eligible = 0;
  for (int i = 0; i < n; i++) {
    double profit = e->epochRewards[i] - e->epochCosts[i] - e->epochSlashed[i];
    e->reward[i] = profit + e->epochDeferredCost[i];
    if (e->registered[i]) {
      e->everRegistered[i] = 1;
      active++;
      profitSum += profit;
      costSum += e->epochCosts[i];
      if (profit > 0) profitable++;
    }
    if (e->eligible[i]) eligible++;
    addedAgents += e->extraAgents[i];
    e->stakeView[i] = e->stake[i];
  }
  /* the row's statistics */
  sort_doubles(e->latencies, e->latN);
  int nakProofs = nakamoto(e->epochWins, e->statScratch, n);
  int nakStake = nakamoto(e->stakeView, e->statScratch, n);
  double h = hhi(e->epochWins, n) + hhi(e->stakeView, n);
  double obs = write_observation(e);
  e->checksum += signals * 1e-9 + eligible + profitSum * 1e-6 + costSum * 1e-9 + addedAgents + active + profitable + nakProofs + nakStake + h +
                 points + obs +
                 (e->latN > 0 ? e->latencies[e->latN / 2] * 1e-3 : 0) + e->observation[(size_t)(n / 2) * NF + 6];
}

static void env_reset(Env *e, uint64_t seed) {
  int n = e->n;
  e->arrivals.s = seed * 0x9e3779b97f4a7c15ull + 1;
  e->outageStream.s = seed * 0xbf58476d1ce4e5b9ull + 2;
  e->l1Stream.s = seed * 0x94d049bb133111ebull + 3;
  e->selectionSeed = (uint32_t)(seed * 2654435761u);
  e->noiseSeed = (uint32_t)(seed * 2246822519u + 7);
  heap_clear(&e->failures);
  heap_clear(&e->heads);
  heap_clear(&e->landings);
  e->landingN = e->downCount = e->waitingN = e->latN = 0;
  e->jcount = e->jfreeN = e->tcount = e->tfreeN = 0;
  memset(e->jstate, 0, (size_t)e->jcap);
  e->t = e->gasLog = e->mempool = e->outstandingWork = 0;
  e->nextDeadlineCheck = INFINITY;
  e->blocksCreated = e->blocks = e->proven = e->reorgs = e->oversized = e->splits = e->failures_ = 0;
  e->usefulCoreS = e->wastedCoreS = e->txProven = e->checksum = 0;
  e->l1Cost = verify_cost(e);
  for (int i = 0; i < n; i++) {
    e->registered[i] = 1;
    e->capacity[i] = 1;
    e->raceOptIn[i] = e->batchOptIn[i] = 1;
    e->pooled[i] = 0;
    e->stake[i] = fmin(e->capital[i], 2 * MIN_STAKE);
    e->unbonding[i] = e->unbondAt[i] = e->extraAgents[i] = e->pendingAgents[i] = e->pendingAt[i] = 0;
    e->compute[i] = e->ownCompute[i];
    e->everRegistered[i] = 0;
    e->parkedLen[i] = 0;
    e->eligible[i] = 0;
    e->slashed[i] = e->rewards[i] = e->costs[i] = 0;
    e->reputation[i] = 1;
    e->onTimeRate[i] = 1;
    e->downUntil[i] = 0;
    e->freeAt[i] = 0;
    e->queueLen[i] = 0;
    e->queueHead[i] = e->queueTail[i] = -1;
    e->isDown[i] = 0;
    e->nextFailAt[i] = st_exponential(&e->outageStream, e->mtbf[i]);
    heap_set(&e->failures, i, e->nextFailAt[i]);
  }
  /* as reset(): eligibility, then the first observation */
  for (int i = 0; i < n; i++)
    e->eligible[i] = e->registered[i] && e->capacity[i] > 0 && online_compute(e, i) >= MIN_COMPUTE && e->stake[i] >= MIN_STAKE;
  pack_scan(e);
  e->checksum += write_observation(e) * 1e-12;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: slot <days> <tps> <reps> <seed> <count> [<count> ...]\n");
    return 2;
  }
  double days = atof(argv[1]), tps = atof(argv[2]);
  int reps = atoi(argv[3]);
  uint64_t seed = (uint64_t)atoll(argv[4]);
  int counts[NARCH] = {0}, narch = argc - 5 > NARCH ? NARCH : argc - 5;
  for (int k = 0; k < narch; k++) counts[k] = atoi(argv[5 + k]);
  Env env;
  memset(&env, 0, sizeof env);
  env_init(&env, counts, narch);
  int epochs = (int)llround(days * 75);
  long slots = (long)epochs * SLOTS_PER_EPOCH;
  double best = INFINITY, totalCompute = 0;
  for (int i = 0; i < env.n; i++) totalCompute += env.compute[i];
  for (int r = 0; r < reps; r++) {
    double t = now_ms();
    env_reset(&env, seed);
    for (int ep = 0; ep < epochs; ep++) {
      epoch_start(&env);
      for (int s = 0; s < SLOTS_PER_EPOCH; s++) run_slot(&env, tps);
      epoch_end(&env);
    }
    double ms = now_ms() - t;
    if (ms < best) best = ms;
  }
  printf("{\"provers\":%d,\"days\":%g,\"tps\":%g,\"slots\":%ld,\"reps\":%d,\"bestMs\":%.3f,\"nsPerProverSlot\":%.3f,"
         "\"blocks\":%ld,\"blocksProven\":%ld,\"reorgs\":%ld,\"oversized\":%ld,\"splitBlocks\":%ld,\"failures\":%ld,\"busyShare\":%.6f,"
         "\"checksum\":%.6f}\n",
         env.n, days, tps, slots, reps, best, best * 1e6 / ((double)slots * env.n), env.blocks, env.proven, env.reorgs, env.oversized, env.splits,
         env.failures_, env.usefulCoreS / (totalCompute * slots * SLOT_SECONDS), env.checksum);
  return 0;
}
