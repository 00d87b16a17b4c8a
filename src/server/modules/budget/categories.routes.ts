import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import type { CategoriesService } from './categories.service.js';
import {
  CategoryDto,
  CreateCategoryBody,
  ListCategoriesQuery,
  UpdateCategoryBody,
} from './categories.schemas.js';

const tags = ['budget: categories'];

export function categoriesRoutes(app: AppInstance, categories: CategoriesService): void {
  app.get(
    '/api/budget/categories',
    {
      schema: {
        tags,
        summary: 'Groups and categories: each group followed by its categories (parentId links them)',
        querystring: ListCategoriesQuery,
        response: responses({ 200: Type.Array(CategoryDto) }),
      },
    },
    async (request) => categories.list(request.auth.userId, request.query),
  );

  app.post(
    '/api/budget/categories',
    {
      schema: {
        tags,
        summary: 'Create a group (no parentId) or a category in a group',
        body: CreateCategoryBody,
        response: responses({ 201: CategoryDto, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await categories.create(request.auth.userId, request.body)),
  );

  app.get(
    '/api/budget/categories/:id',
    {
      schema: { tags, summary: 'One category', params: IdParams, response: responses({ 200: CategoryDto }) },
    },
    async (request) => categories.get(request.auth.userId, request.params.id),
  );

  app.patch(
    '/api/budget/categories/:id',
    {
      schema: {
        tags,
        summary: 'Rename, recolour, move, set or clear the monthly limit',
        params: IdParams,
        body: UpdateCategoryBody,
        response: responses({ 200: CategoryDto, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request) => categories.update(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    '/api/budget/categories/:id',
    {
      schema: {
        tags,
        summary: 'Delete a category (a group with its categories); transactions keep it',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await categories.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
