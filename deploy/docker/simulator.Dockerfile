# syntax=docker/dockerfile:1
# The upstream simulator (a stand-in for OpenAI, Anthropic and Bedrock) for demos and tests. Build from the
# repository root:
#   docker build -f deploy/docker/simulator.Dockerfile -t tollgate/simulator .
# The simulator is a plain (thin) jar whose manifest class path points at lib/: no Spring Boot layers.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl deploy/simulator -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 tollgate \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin tollgate
WORKDIR /app
# Dependencies first: they change less often than the simulator's own jar.
COPY --from=build /src/deploy/simulator/target/lib/ ./lib/
COPY --from=build /src/deploy/simulator/target/simulator.jar ./simulator.jar
COPY --chmod=755 deploy/docker/healthcheck.sh /usr/local/bin/healthcheck
# All interfaces: the relay calls it from another container.
ENV TOLLGATE_SIMULATOR_HOST=0.0.0.0 \
    TOLLGATE_SIMULATOR_PORT=8090
USER 10001:10001
EXPOSE 8090
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["healthcheck", "8090", "/_sim/stats"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/simulator.jar"]
